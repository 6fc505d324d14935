/**
 * The mix of support (pure; docs/support.md "Outcomes"). 000 范文1's own reflection: "教师的帮扶时间段
 * 大多在课外……教师要重视回归课堂这一帮扶的主阵地" and "不应只停留在补课、作业辅导等单一的帮扶形式上".
 * So: per unit (county, school, teacher) the share of 辅导 sessions on each side of each dimension of
 * the record form (课内/课外, 校内/校外, 学习/生活, 习惯/心理, 作业/能力 — the select fields of the
 * stored programme's 辅导 type, so a bureau's edited form is followed), and the share of records of
 * each type (辅导, 谈心, 学习方法指导, 家访 …).
 *
 * A session without a value for a dimension (an optional field left empty, or a confidential record
 * whose fields the caller may not read) counts under `unknown`; shares are of the sessions with a
 * value, so `unknown` does not dilute them.
 */
export interface Dimension {
  key: string;
  label: string;
  options: string[];
}

export interface DimensionCount {
  key: string;
  /** null = no value (or not readable) */
  value: string | null;
  n: number;
}

export interface DimensionMix {
  key: string;
  label: string;
  /** sessions of the type in the unit */
  sessions: number;
  options: { value: string; n: number; share: number | null }[];
  unknown: number;
}

export function dimensionMix(dimensions: readonly Dimension[], sessions: number, counts: readonly DimensionCount[]): DimensionMix[] {
  return dimensions.map((d) => {
    const options = d.options.map((value) => ({ value, n: 0, share: null as number | null }));
    let known = 0;
    for (const c of counts) {
      if (c.key !== d.key || c.value == null) continue;
      const o = options.find((x) => x.value === c.value);
      if (!o) continue; // a value no longer offered by the form counts as unknown
      o.n += c.n;
      known += c.n;
    }
    for (const o of options) o.share = known > 0 ? Math.round((o.n / known) * 10000) / 10000 : null;
    return { key: d.key, label: d.label, sessions, options, unknown: Math.max(0, sessions - known) };
  });
}

export interface TypeShare {
  type: string;
  label: string;
  n: number;
  share: number;
}

export function typeMix(labels: ReadonlyMap<string, string>, counts: readonly { type: string; n: number }[]): TypeShare[] {
  const total = counts.reduce((k, c) => k + c.n, 0);
  return [...counts]
    .sort((a, b) => b.n - a.n || a.type.localeCompare(b.type))
    .map((c) => ({ type: c.type, label: labels.get(c.type) ?? c.type, n: c.n, share: total > 0 ? Math.round((c.n / total) * 10000) / 10000 : 0 }));
}

/** The select fields of a record type: the dimensions of the mix. */
export function dimensionsOf(type: { fields?: readonly { key: string; label: string; type: string; options?: readonly string[] }[] } | undefined): Dimension[] {
  return (type?.fields ?? []).filter((f) => f.type === 'select' && (f.options?.length ?? 0) > 0).map((f) => ({ key: f.key, label: f.label, options: [...f.options!] }));
}

/** A helper-side teacher's days in a pairing (`to` inclusive; null = still taking part). */
export interface HelperSpan {
  id: number;
  teacherId: number;
  from: string;
  to: string | null;
}

/** The record's helper on a day: of the teachers taking part that day, the latest to join (then the later row). */
export function helperOn(spans: readonly HelperSpan[], day: string): number | null {
  let best: HelperSpan | null = null;
  for (const s of spans) {
    if (s.from > day || (s.to != null && s.to < day)) continue;
    if (!best || s.from > best.from || (s.from === best.from && s.id > best.id)) best = s;
  }
  return best ? best.teacherId : null;
}

/**
 * The helper of every record of a pairing between `first` and `last` when it is the same one for all
 * (no helper at all, or one whose days cover the range, or one who took no part then); undefined =
 * it may change within the range: look the records up day by day.
 */
export function helperOfRange(spans: readonly HelperSpan[], first: string, last: string): number | null | undefined {
  if (spans.length === 0) return null;
  if (spans.length === 1) {
    const s = spans[0]!;
    if (s.from <= first && (s.to == null || s.to >= last)) return s.teacherId;
    if (s.from > last || (s.to != null && s.to < first)) return null;
  }
  return undefined;
}
