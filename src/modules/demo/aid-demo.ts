// The demo county's aid (资助, docs/support.md section 资助): what the poor students on the support
// list (cases with the 贫困生 category) received this school year, in fen, as the schools would have
// recorded it — the living subsidy each semester (寄宿生 at boarding schools, else 非寄宿生; 小学 /
// 初中 standards), the nutrition plan at rural and town schools, and now and then a donation, an
// emergency grant, a one-off grant on entering 初中. Only dates up to plan.today.
//
// Set-based in one transaction (ids from the sequence, one INSERT … SELECT FROM jsonb_to_recordset per
// table), with the 'support.aid_granted' audit row the service (src/modules/support/aid) writes for
// each grant. Deterministic for a seed: one Rng stream per student, keyed by the student's rank.
import { sql } from 'drizzle-orm';
import { rows, type Tx } from '../../db/client.js';
import type { AppContext } from '../../server/context.js';
import { allocateIds, insertRecords, type Col } from './demo.service.js';
import type { DemoCountyPlan } from './generator.js';
import { Rng } from './prng.js';

export interface DemoAidResult {
  students: number;
  grants: number;
  totalFen: number;
  seconds: number;
}

const ACTOR_NAME = '系统（演示数据）';
/** per semester, in fen: 小学 / 初中 (两免一补: boarders 1000 / 1250 元 a year, others 500 / 625) */
const LIVING = { boarding: { primary: 50000, junior: 62500 }, day: { primary: 25000, junior: 31250 } };
/** 营养改善计划: 5 元 a day × ~100 school days a semester, provided as meals */
const NUTRITION_FEN = 50000;
const DONATION_NOTES = ['爱心企业捐资助学', '“慈善一日捐”助学金', '教师爱心捐助', '校友助学金'];
const EMERGENCY_NOTES = ['家长重病住院，临时救助', '家中房屋受灾，临时救助', '家庭突发变故，临时救助'];

const GRANT_COLS: Col[] = [
  { name: 'id', type: 'int' }, { name: 'student_id', type: 'int' }, { name: 'school_id', type: 'int' }, { name: 'school_year', type: 'text' },
  { name: 'term', type: 'smallint' }, { name: 'item_key', type: 'text' }, { name: 'amount_fen', type: 'int' }, { name: 'granted_on', type: 'date' },
  { name: 'source', type: 'text' }, { name: 'method', type: 'text' }, { name: 'note', type: 'text' },
];
const AUDIT_COLS: Col[] = [
  { name: 'actor_name', type: 'text' }, { name: 'action', type: 'text' }, { name: 'entity_type', type: 'text' }, { name: 'entity_id', type: 'text' },
  { name: 'school_id', type: 'int' }, { name: 'after', type: 'jsonb' }, { name: 'at', type: 'timestamptz' },
];

interface Grant { student_id: number; school_id: number; school_year: string; term: number | null; item_key: string; amount_fen: number; granted_on: string; source: string; method: string; note: string | null }

/** Writes the year's grants of the poor students on the support list (needs loadDemoSupport's cases). */
export async function loadDemoAid(ctx: AppContext, plan: DemoCountyPlan): Promise<DemoAidResult> {
  const started = Date.now();
  const schoolYear = plan.schoolYear;
  const y0 = Number(schoolYear.slice(0, 4));
  const root = new Rng(`bangfu-aid:${plan.seed}`);
  return ctx.db.transaction(async (tx: Tx) => {
    const poor = await rows<{ studentId: number; schoolId: number; grade: number | null; boarding: boolean; rural: boolean; registered: boolean }>(tx, sql`
      SELECT x.student_id AS "studentId", x.school_id AS "schoolId", c.grade, '寄宿制' = ANY(sc.flags) AS boarding, sc.location_type <> '城区' AS rural,
        EXISTS (SELECT 1 FROM family_flags f WHERE f.student_id = x.student_id AND f.flag = 'poverty_registered') AS registered
      FROM support_cases x JOIN schools sc ON sc.id = x.school_id LEFT JOIN classes c ON c.id = x.class_id
      WHERE x.school_year = ${schoolYear} AND 'poverty' = ANY(x.categories)
      ORDER BY sc.code, x.student_id`);
    const grants: Grant[] = [];
    const day = (rng: Rng, month: number, from: number, to: number) => {
      const y = month >= 9 ? y0 : y0 + 1;
      return `${y}-${String(month).padStart(2, '0')}-${String(rng.int(from, to)).padStart(2, '0')}`;
    };
    poor.forEach((s, rank) => {
      const rng = root.fork(`student:${rank}`);
      const stage = s.grade != null && s.grade >= 7 ? 'junior' : 'primary';
      const boarder = s.boarding && rng.chance(0.7);
      const g = (term: number | null, item_key: string, amount_fen: number, granted_on: string, source: string, method: string, note: string | null = null) => {
        if (granted_on <= plan.today) grants.push({ student_id: s.studentId, school_id: s.schoolId, school_year: schoolYear, term, item_key, amount_fen, granted_on, source, method, note });
      };
      // the living subsidy: autumn in October-November, spring in April
      const living = boarder ? 'living_boarding' : 'living_day';
      const perTerm = LIVING[boarder ? 'boarding' : 'day'][stage];
      g(1, living, perTerm, day(rng, 10, 10, 30), 'central', 'card');
      g(2, living, perTerm, day(rng, 4, 8, 28), 'central', 'card');
      if (s.rural) {
        g(1, 'nutrition', NUTRITION_FEN, day(rng, 9, 1, 5), 'central', 'in_kind', '按在校天数供餐');
        g(2, 'nutrition', NUTRITION_FEN, day(rng, 2, 20, 28), 'central', 'in_kind', '按在校天数供餐');
      }
      if (s.grade === 7 && s.registered && rng.chance(0.4)) g(null, 'admission_grant', 50000, day(rng, 9, 10, 25), 'county', 'card', '建档立卡家庭学生入学资助');
      if (rng.chance(0.15)) g(null, 'donation', rng.int(2, 10) * 10000, day(rng, rng.pick([11, 12, 1, 5]), 1, 28), 'social', rng.chance(0.7) ? 'cash' : 'in_kind', rng.pick(DONATION_NOTES));
      if (rng.chance(0.03)) g(null, 'emergency', rng.int(5, 20) * 10000, day(rng, rng.pick([10, 11, 3, 6]), 1, 28), 'county', 'cash', rng.pick(EMERGENCY_NOTES));
    });
    const ids = await allocateIds(tx, 'aid_grants', grants.length);
    const withIds = grants.map((x, i) => ({ id: ids[i]!, ...x }));
    await insertRecords(tx, 'aid_grants', GRANT_COLS, withIds, true);
    // the service's audit row per grant, dated the day it was paid (China noon)
    await insertRecords(tx, 'audit_log', AUDIT_COLS, withIds.map((x) => ({
      actor_name: ACTOR_NAME, action: 'support.aid_granted', entity_type: 'aid_grant', entity_id: String(x.id), school_id: x.school_id,
      after: { studentId: x.student_id, schoolYear: x.school_year, term: x.term, itemKey: x.item_key, amountFen: x.amount_fen, grantedOn: x.granted_on, source: x.source, method: x.method, note: x.note },
      at: `${x.granted_on}T12:00:00+08:00`,
    })), false);
    return {
      students: new Set(grants.map((x) => x.student_id)).size,
      grants: grants.length,
      totalFen: grants.reduce((n, x) => n + x.amount_fen, 0),
      seconds: (Date.now() - started) / 1000,
    };
  });
}
