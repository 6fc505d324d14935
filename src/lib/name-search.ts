// Name search that matches Chinese characters, full pinyin and initials
// (`张伟`, `張偉`, `zhangwei`, `zw`), used by every list that searches people or schools.
import { pinyin } from 'pinyin-pro';
import * as OpenCC from 'opencc-js/t2cn';
import { sql, type SQL } from 'drizzle-orm';

const toSimplified = OpenCC.Converter({ from: 'hk', to: 'cn' });

/** Search keys stored beside a name. Surname mode reads 曾 as zeng, 单 as shan. */
export function nameKeys(name: string): { pinyin: string; initials: string } {
  const syllables = pinyin(name, { mode: 'surname', toneType: 'none', type: 'array', nonZh: 'consecutive', v: true })
    .map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, ''))
    .filter(Boolean);
  return { pinyin: syllables.join(''), initials: syllables.map((s) => s[0]).join('') };
}

/** Traditional to Simplified, so 張偉 finds 张伟. */
export function simplify(text: string): string {
  return toSimplified(text);
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => '\\' + c);
}

/**
 * A WHERE fragment matching `q` against a name column and its pinyin columns.
 * Latin input matches the start of the full pinyin or the initials; anything else
 * (after Traditional→Simplified) matches inside the name.
 */
export function nameMatches(q: string, cols: { name: SQL; pinyin: SQL; initials: SQL }, extra: SQL[] = []): SQL | undefined {
  const text = q.trim();
  if (!text) return undefined;
  const latin = text.toLowerCase().replace(/\s+/g, '');
  const ors: SQL[] = [...extra];
  if (/^[a-z]+$/.test(latin)) {
    const p = escapeLike(latin) + '%';
    ors.push(sql`${cols.pinyin} LIKE ${p}`, sql`${cols.initials} LIKE ${p}`);
  }
  ors.push(sql`${cols.name} LIKE ${'%' + escapeLike(simplify(text)) + '%'}`);
  return sql`(${sql.join(ors, sql` OR `)})`;
}
