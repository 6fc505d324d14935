// Type-specific fields of an activity record, validated from the programme's definitions.
import { describe, expect, it } from 'vitest';
import { validateActivityFields } from '../../../src/modules/pairings/activity-fields.js';
import type { FieldDef } from '../../../src/modules/pairings/pairings.schemas.js';

const DEFS: FieldDef[] = [
  { key: 'met', label: '见到的家长', type: 'text', required: true },
  { key: 'agreed', label: '商定事项', type: 'textarea', maxLength: 10 },
  { key: 'people', label: '参加人数', type: 'integer', min: 1, max: 50 },
  { key: 'hours', label: '时长', type: 'number', min: 0 },
  { key: 'on', label: '日期', type: 'date' },
  { key: 'mode', label: '方式', type: 'select', options: ['家访', '电话'] },
  { key: 'dims', label: '维度', type: 'multiselect', options: ['课内', '课外', '校内'] },
  { key: 'online', label: '线上', type: 'boolean' },
];

describe('validateActivityFields', () => {
  it('accepts a complete form, trims text and drops emptied optional inputs', () => {
    const r = validateActivityFields(DEFS, { met: '  母亲 ', agreed: '', people: 3, hours: 1.5, on: '2026-10-10', mode: '电话', dims: ['课内', '校内'], online: false });
    expect(r).toEqual({ ok: true, value: { met: '母亲', people: 3, hours: 1.5, on: '2026-10-10', mode: '电话', dims: ['课内', '校内'], online: false } });
    expect(validateActivityFields(DEFS, { met: '父亲', people: null, dims: [] })).toEqual({ ok: true, value: { met: '父亲' } });
  });

  it('asks for a required field that is missing, null or blank', () => {
    for (const met of [undefined, null, '   ']) {
      const r = validateActivityFields(DEFS, met === undefined ? {} : { met });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.problems).toEqual(['请填写见到的家长']);
    }
  });

  it('rejects wrong types, bounds, unknown options and unknown fields, in Chinese', () => {
    const r = validateActivityFields(DEFS, { met: 'x', agreed: '一二三四五六七八九十十一', people: 2.5, hours: -1, mode: '上门', dims: ['课内', '课内'], online: 'yes', extra: 1 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual(expect.arrayContaining([
      '商定事项至多10个字',
      '参加人数应为整数',
      '时长不能小于0',
      '方式应为下列之一：家访、电话',
      '维度的选项重复',
      '线上应为是或否',
      '未定义的字段：extra',
    ]));
    expect(validateActivityFields(DEFS, { met: 'x', people: 51 })).toEqual({ ok: false, problems: ['参加人数不能大于50'] });
  });

  it('a type without fields accepts only an empty object', () => {
    expect(validateActivityFields([], {})).toEqual({ ok: true, value: {} });
    expect(validateActivityFields([], { x: 1 }).ok).toBe(false);
  });
});
