// The compliance report's numbers from the engine's standings (src/modules/pairings/engine): per
// teacher and rule, then per school and rule, for one semester. Pure: the service evaluates the
// pairings and passes the standings in; nothing here restates a quota rule.
//
// For each (teacher, rule): the periods of the rule that overlap the semester (a semester rule: the
// semester; a fortnightly or monthly rule: its fortnights or months up to asOf), over every pairing
// in which the teacher holds the rule's role:
//   required = Σ required;  done = Σ min(done, required) (a busy fortnight does not make up for an
//   empty one);  status = the worst period: short/missed → short, behind → behind, else on_track.
// A school's row adds its teachers' required and done, counts its teachers by status, and takes the
// worst status among them.
import type { PairingStanding, PeriodStatus } from '../pairings/engine/standing.js';
import type { ComplianceRow } from './support.schemas.js';

export type ReportStatus = 'on_track' | 'behind' | 'short';
const SEVERITY: Record<ReportStatus, number> = { on_track: 0, behind: 1, short: 2 };

export function reportStatus(s: PeriodStatus): ReportStatus {
  if (s === 'short' || s === 'missed') return 'short';
  if (s === 'behind') return 'behind';
  return 'on_track';
}
export const worseStatus = (a: ReportStatus | null, b: ReportStatus): ReportStatus => (a === null || SEVERITY[b] > SEVERITY[a] ? b : a);

export interface ComplianceInput {
  standings: readonly PairingStanding[];
  semester: { start: string; end: string };
  /** 'teacher:12' → the teacher's id, name and school */
  teachers: ReadonlyMap<string, { id: number; name: string; schoolId: number }>;
  schools: ReadonlyMap<number, { code: string; name: string }>;
  /** quota ids in display order (the programme's), and their labels */
  rules: readonly { id: string; label: string }[];
}

export function complianceRows(input: ComplianceInput): ComplianceRow[] {
  const { semester } = input;
  // key `${teacherRef}\u0000${ruleId}`
  const acc = new Map<string, { teacherRef: string; rule: string; required: number; done: number; status: ReportStatus | null }>();
  for (const s of input.standings) {
    for (const q of s.quotas) {
      const periods = q.periods.filter((p) => p.period.start <= semester.end && p.period.end >= semester.start);
      if (periods.length === 0) continue;
      for (const ref of q.responsibleIds) {
        if (!input.teachers.has(ref)) continue;
        const key = `${ref}\u0000${q.quota.id}`;
        const a = acc.get(key) ?? acc.set(key, { teacherRef: ref, rule: q.quota.id, required: 0, done: 0, status: null }).get(key)!;
        for (const p of periods) {
          a.required += p.required;
          a.done += Math.min(p.done, p.required);
          a.status = worseStatus(a.status, reportStatus(p.status));
        }
      }
    }
  }
  const ruleIndex = new Map(input.rules.map((r, i) => [r.id, i]));
  const labelOf = new Map(input.rules.map((r) => [r.id, r.label]));
  const rank = (rule: string) => ruleIndex.get(rule) ?? Number.MAX_SAFE_INTEGER;
  const teacherRows: (ComplianceRow & { schoolId: number; teacherId: number })[] = [];
  for (const a of acc.values()) {
    const t = input.teachers.get(a.teacherRef)!;
    const sc = input.schools.get(t.schoolId);
    const status = a.status ?? 'on_track';
    teacherRows.push({
      schoolId: t.schoolId, teacherId: t.id,
      school: sc?.code ?? '', schoolName: sc?.name ?? '', teacher: String(t.id), teacherName: t.name,
      rule: a.rule, ruleLabel: labelOf.get(a.rule) ?? a.rule, required: a.required, done: a.done, status,
      teachers: 1, onTrack: status === 'on_track' ? 1 : 0, behind: status === 'behind' ? 1 : 0, short: status === 'short' ? 1 : 0,
    });
  }
  // school codes ranked once (a few dozen localeCompare calls instead of one per comparison of ~8,000 rows)
  const schoolRank = new Map([...new Set(teacherRows.map((r) => r.school))].sort((x, y) => x.localeCompare(y)).map((code, i) => [code, i]));
  teacherRows.sort((x, y) => schoolRank.get(x.school)! - schoolRank.get(y.school)! || x.schoolId - y.schoolId || x.teacherId - y.teacherId || rank(x.rule) - rank(y.rule) || x.rule.localeCompare(y.rule));

  const out: ComplianceRow[] = [];
  const strip = ({ schoolId: _s, teacherId: _t, ...row }: ComplianceRow & { schoolId: number; teacherId: number }): ComplianceRow => row;
  for (let i = 0; i < teacherRows.length;) {
    const schoolId = teacherRows[i]!.schoolId;
    const group: typeof teacherRows = [];
    while (i < teacherRows.length && teacherRows[i]!.schoolId === schoolId) group.push(teacherRows[i++]!);
    out.push(...group.map(strip));
    const byRule = new Map<string, ComplianceRow>();
    for (const r of group) {
      const s = byRule.get(r.rule) ?? byRule.set(r.rule, { ...strip(r), teacher: '', teacherName: '', required: 0, done: 0, status: 'on_track', teachers: 0, onTrack: 0, behind: 0, short: 0 }).get(r.rule)!;
      s.required += r.required;
      s.done += r.done;
      s.status = worseStatus(s.status, r.status);
      s.teachers += 1;
      s.onTrack += r.onTrack;
      s.behind += r.behind;
      s.short += r.short;
    }
    out.push(...[...byRule.values()].sort((x, y) => rank(x.rule) - rank(y.rule) || x.rule.localeCompare(y.rule)));
  }
  return out;
}
