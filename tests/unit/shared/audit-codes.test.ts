// The audit log's codes: every action and object type the server writes is in src/shared/audit-codes.ts
// (writeAudit's entries are typed by it; this scan also covers the SQL that writes audit rows directly), and
// each has a label in the message files, which the audit page shows and its filters offer.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTION_GROUPS, AUDIT_ACTIONS, AUDIT_ENTITY_TYPES, isAuditAction } from '../../../src/shared/audit-codes.js';
import { ROLES } from '../../../src/shared/roles.js';

const root = path.resolve(import.meta.dirname, '../../..');
const messages = (locale: string) => JSON.parse(fs.readFileSync(path.join(root, 'web/src/i18n', `${locale}.json`), 'utf8')) as Record<string, string>;
const LOCALES = ['zh-CN', 'en', 'zh-TW'];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Action codes and entity types written in src/: `action: '…'` (also both arms of `action: x ? '…' : '…'`), and the literals of SQL that inserts into audit_log. */
function writtenCodes() {
  const actions = new Map<string, string>();
  const entities = new Map<string, string>();
  const code = /'([a-z_]+(?:\.[a-z_]+)+)'/g;
  for (const file of sourceFiles(path.join(root, 'src'))) {
    if (file.endsWith(path.join('shared', 'audit-codes.ts'))) continue;
    const text = fs.readFileSync(file, 'utf8');
    const where = path.relative(root, file);
    for (const m of text.matchAll(/\baction: ([^,\n]*)/g)) {
      for (const c of m[1]!.matchAll(code)) actions.set(c[1]!, where);
    }
    for (const m of text.matchAll(/\b(?:entityType|entity_type): (?!text\()([^,\n]*)/g)) {
      for (const c of m[1]!.matchAll(/'([a-z_]+)'/g)) entities.set(c[1]!, where);
    }
    // INSERT INTO audit_log … SELECT …, 'student.created', 'student', …
    for (const m of text.matchAll(/INSERT INTO audit_log[\s\S]{0,400}?SELECT[^']*'([a-z_.]+)', '([a-z_]+)'/g)) {
      actions.set(m[1]!, where);
      entities.set(m[2]!, where);
    }
  }
  return { actions, entities };
}

describe('audit codes', () => {
  it('lists each action once, in one group, and a group prefix covers its own actions only', () => {
    expect(new Set(AUDIT_ACTIONS).size).toBe(AUDIT_ACTIONS.length);
    expect(new Set(AUDIT_ENTITY_TYPES).size).toBe(AUDIT_ENTITY_TYPES.length);
    for (const g of AUDIT_ACTION_GROUPS) {
      if (!g.prefix) continue;
      const prefix = g.prefix;
      expect(g.actions.every((a) => a.startsWith(prefix)), g.key).toBe(true);
      expect(AUDIT_ACTIONS.filter((a) => a.startsWith(prefix)).sort(), g.key).toEqual([...g.actions].sort());
      expect(isAuditAction(prefix)).toBe(false);
    }
  });

  it('knows every action code and object type the server writes (a new one must be added to src/shared/audit-codes.ts)', () => {
    const { actions, entities } = writtenCodes();
    expect(actions.size).toBeGreaterThan(40); // the scan finds the writes
    const unknownActions = [...actions].filter(([a]) => !isAuditAction(a)).map(([a, f]) => `${a} (${f})`);
    expect(unknownActions).toEqual([]);
    const unknownEntities = [...entities].filter(([e]) => !(AUDIT_ENTITY_TYPES as readonly string[]).includes(e)).map(([e, f]) => `${e} (${f})`);
    expect(unknownEntities).toEqual([]);
    expect(entities.get('student')).toBeDefined();
  });

  for (const locale of LOCALES) {
    it(`${locale}: every action, object type, action group and role has a label, and no label is left for a code the server never writes`, () => {
      const m = messages(locale);
      const missing = [
        ...AUDIT_ACTIONS.map((a) => `audit.action.${a}`),
        ...AUDIT_ENTITY_TYPES.map((e) => `audit.entity.${e}`),
        ...AUDIT_ACTION_GROUPS.map((g) => `audit.group.${g.key}`),
        ...ROLES.map((r) => `role.${r}`),
      ].filter((k) => !m[k]?.trim());
      expect(missing).toEqual([]);
      const known = new Set<string>([
        ...AUDIT_ACTIONS.map((a) => `audit.action.${a}`), ...AUDIT_ENTITY_TYPES.map((e) => `audit.entity.${e}`), ...AUDIT_ACTION_GROUPS.map((g) => `audit.group.${g.key}`),
      ]);
      const stale = Object.keys(m).filter((k) => /^audit\.(action|entity|group)\./.test(k) && !known.has(k));
      expect(stale).toEqual([]);
    });
  }

  it('zh-CN labels are Chinese and en labels are not', () => {
    const cn = messages('zh-CN');
    const en = messages('en');
    for (const a of AUDIT_ACTIONS) {
      expect(cn[`audit.action.${a}`], a).toMatch(/[\u4e00-\u9fff]/);
      expect(en[`audit.action.${a}`], a).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
