// The type-specific fields of an activity record, validated against the programme's field
// definitions: a zod schema is built from the definitions (one per type), so a new form is
// configuration, not code. Pure; the web form can use the same builder.
import { z } from 'zod';
import type { FieldDef } from './pairings.schemas.js';

const DEFAULT_MAX_LENGTH = { text: 200, textarea: 2000 } as const;

function fieldSchema(f: FieldDef): z.ZodType {
  const name = f.label;
  switch (f.type) {
    case 'text':
    case 'textarea': {
      const max = f.maxLength ?? DEFAULT_MAX_LENGTH[f.type];
      let s = z.string({ error: `${name}应为文字` }).trim().max(max, `${name}至多${max}个字`);
      if (f.required) s = s.min(1, `请填写${name}`);
      return s;
    }
    case 'number':
    case 'integer': {
      let n = z.number({ error: `${name}应为数字` });
      if (f.type === 'integer') n = n.int(`${name}应为整数`);
      if (f.min !== undefined) n = n.min(f.min, `${name}不能小于${f.min}`);
      if (f.max !== undefined) n = n.max(f.max, `${name}不能大于${f.max}`);
      return n;
    }
    case 'date':
      return z.string({ error: `${name}应为日期` }).regex(/^\d{4}-\d{2}-\d{2}$/, `${name}应写成“2026-09-01”`);
    case 'boolean':
      return z.boolean({ error: `${name}应为是或否` });
    case 'select':
      return z.enum((f.options ?? []) as [string, ...string[]], { error: `${name}应为下列之一：${(f.options ?? []).join('、')}` });
    case 'multiselect': {
      const one = z.enum((f.options ?? []) as [string, ...string[]], { error: `${name}的选项应为下列之一：${(f.options ?? []).join('、')}` });
      let arr = z.array(one, { error: `${name}应为选项列表` }).refine((xs) => new Set(xs).size === xs.length, `${name}的选项重复`);
      if (f.required) arr = arr.refine((xs) => xs.length > 0, `请选择${name}`);
      return arr;
    }
  }
}

/** The zod schema of one activity type's fields: unknown keys are rejected; optional fields may be omitted, null or ''. */
export function fieldsSchema(defs: readonly FieldDef[]) {
  const shape: Record<string, z.ZodType> = {};
  for (const f of defs) {
    const s = fieldSchema(f);
    shape[f.key] = f.required ? s : s.optional();
  }
  return z.strictObject(shape, { error: (iss) => (iss.code === 'unrecognized_keys' ? `未定义的字段：${iss.keys.join('、')}` : undefined) });
}

// Building a schema and zod's first parse (which compiles the object's parser) cost ~1 ms: one schema per
// distinct definition, reused by every record of that type (the definitions are data, keyed by their JSON).
const schemas = new Map<string, ReturnType<typeof fieldsSchema>>();
function cachedFieldsSchema(defs: readonly FieldDef[]) {
  const key = JSON.stringify(defs);
  let schema = schemas.get(key);
  if (!schema) {
    if (schemas.size >= 500) schemas.clear();
    schemas.set(key, (schema = fieldsSchema(defs)));
  }
  return schema;
}

/** Drops null and '' of optional fields (an emptied form input), so the stored JSON holds only what was filled in. */
function dropEmpty(defs: readonly FieldDef[], values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    const def = defs.find((d) => d.key === k);
    if (def && !def.required && (v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0))) continue;
    out[k] = v;
  }
  return out;
}

export type FieldsResult = { ok: true; value: Record<string, unknown> } | { ok: false; problems: string[] };

/** Validates and normalises (trims text) a record's fields against its type's definitions. */
export function validateActivityFields(defs: readonly FieldDef[], values: Record<string, unknown>): FieldsResult {
  const parsed = cachedFieldsSchema(defs).safeParse(dropEmpty(defs, values));
  if (parsed.success) return { ok: true, value: parsed.data as Record<string, unknown> };
  const problems = parsed.error.issues.map((i) => {
    const def = defs.find((d) => d.key === i.path[0]);
    // a required field that is missing altogether: zod's message is about the type
    if (def && i.code === 'invalid_type' && (values[def.key] === undefined || values[def.key] === null)) return `请填写${def.label}`;
    return i.message;
  });
  return { ok: false, problems: [...new Set(problems)] };
}
