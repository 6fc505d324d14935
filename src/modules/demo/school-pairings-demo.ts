// 校校结对 in the demo county: each strong urban school paired one-to-one with a weak, mountain or
// rural school of the same stage (001 篇一–三, 003 范文1: 城区学校 → 乡村/薄弱/山区学校), active since
// the semester's start. They are created through the pairings service (createPairingIn: the
// programme's role rules, participants, status history, 'pairing.created' in the audit log), as a
// bureau administrator would create them, so the demo's pairings list has school pairings and a
// 结对联考 (an exam of a pairing's schools) has pairings to choose from.
import { sql } from 'drizzle-orm';
import { rows } from '../../db/client.js';
import type { AppContext } from '../../server/context.js';
import { createPairingIn } from '../pairings/pairings.service.js';
import { loadCalendar } from '../pairings/programmes.service.js';
import type { DemoCountyPlan } from './generator.js';
import { adminCaller } from './support-demo.js';

export interface DemoSchoolPairingsResult {
  pairings: { id: number; helper: string; helped: string }[];
}

export interface PairableSchool {
  id: number;
  name: string;
  kind: string;
  locationType: string;
  flags: string[];
}

const STAGES: Record<string, ('primary' | 'junior')[]> = {
  小学: ['primary'],
  初级中学: ['junior'],
  完全中学: ['junior'],
  九年一贯制学校: ['primary', 'junior'],
};
const stagesOf = (s: PairableSchool) => STAGES[s.kind] ?? [];

/** How much a school needs a partner: weak first, then mountain, then any rural school; 0 = not one to be helped. */
function need(s: PairableSchool): number {
  if (s.flags.includes('薄弱学校')) return 3;
  if (s.flags.includes('山区学校')) return 2;
  return s.locationType === '乡村' ? 1 : 0;
}

/**
 * The demo's school pairs: every urban school that is not itself weak (in id order) takes the
 * neediest unpaired school sharing a stage with it (ties by id). 教学点 are left out: a teaching
 * point is helped through its central school. One-to-one; a county with few schools gets fewer pairs.
 */
export function pickSchoolPairs(schools: readonly PairableSchool[]): { helper: PairableSchool; helped: PairableSchool }[] {
  const byId = (a: PairableSchool, b: PairableSchool) => a.id - b.id;
  const helpers = schools.filter((s) => s.locationType === '城区' && !s.flags.includes('薄弱学校') && stagesOf(s).length > 0).sort(byId);
  const open = schools.filter((s) => need(s) > 0 && stagesOf(s).length > 0).sort((a, b) => need(b) - need(a) || byId(a, b));
  const out: { helper: PairableSchool; helped: PairableSchool }[] = [];
  for (const helper of helpers) {
    const k = open.findIndex((s) => stagesOf(s).some((st) => stagesOf(helper).includes(st)));
    if (k < 0) continue;
    out.push({ helper, helped: open.splice(k, 1)[0]! });
  }
  return out;
}

const PLAN = '城乡学校结对帮扶（演示）：支援学校每学期到受援学校送教（示范课）不少于2次，开放课堂供受援学校教师观摩不少于2次；校长每学年作管理讲座2次；每学年互派1名管理人员、不少于2名教师交流；共同开展1–2项课题研究。';

/** Creates the demo county's school pairings in one transaction (after its registry, exams and support data). */
export async function loadDemoSchoolPairings(ctx: AppContext, plan: DemoCountyPlan): Promise<DemoSchoolPairingsResult> {
  return ctx.db.transaction(async (tx) => {
    const c = await adminCaller(tx);
    const calendar = await loadCalendar(tx);
    const start = (calendar.semesterOn(plan.today) ?? calendar.semester(plan.schoolYear, 1)).start;
    const schools = await rows<PairableSchool>(tx, sql`SELECT id, name, kind, location_type AS "locationType", flags FROM schools ORDER BY id`);
    const out: DemoSchoolPairingsResult['pairings'] = [];
    for (const { helper, helped } of pickSchoolPairs(schools)) {
      const p = await createPairingIn(tx, c, {
        programme: 'school_pairing', start, status: 'active', plan: PLAN,
        participants: [{ role: 'helper', kind: 'school', personId: helper.id }, { role: 'helped', kind: 'school', personId: helped.id }],
      });
      out.push({ id: p.id, helper: helper.name, helped: helped.name });
    }
    return { pairings: out };
  });
}
