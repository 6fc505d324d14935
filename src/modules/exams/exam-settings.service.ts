// The bureau's settings of the 后20% analysis: targets per grade and school year
// (exam_targets), the reward table and the analysis options (settings rows
// 'exams.rewardTable' and 'exams.analysisOptions'). Defaults come from the pure engine.
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Queryable } from '../../db/client.js';
import type { AppContext } from '../../server/context.js';
import { forbidden } from '../../server/errors.js';
import type { Caller } from '../../server/http.js';
import { EXAM_BUREAU_ROLES } from '../../shared/roles.js';
import { writeAudit } from '../audit/audit.repo.js';
import { DEFAULT_ANALYSIS_OPTIONS, type AnalysisOptions } from './analysis/analyse.js';
import { DEFAULT_REWARD_TABLE, type RewardTable } from './analysis/rewards.js';
import { defaultTargetConfig, type ExamTerm, type TargetConfig } from './analysis/targets.js';
import { getSetting, getTargets as getTargetsRow } from './exam-analysis.repo.js';
import {
  analysisOptions as analysisOptionsSchema,
  rewardTable as rewardTableSchema,
  targetsBody,
  type AnalysisOptionsInput,
  type ExamSettingsResponse,
  type RewardTableInput,
  type TargetsResponse,
  type settingsBody,
} from './exam-settings.schemas.js';

export const REWARD_TABLE_KEY = 'exams.rewardTable';
export const ANALYSIS_OPTIONS_KEY = 'exams.analysisOptions';

// the zod schemas and the engine's types must agree (checked by the compiler, both ways)
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const rewardTableMatches: Same<RewardTableInput, RewardTable> = true;
const targetRulesMatch: Same<z.infer<typeof targetsBody>['rules'][number], TargetConfig['rules'][number]> = true;
void rewardTableMatches;
void targetRulesMatch;

/** The engine's options plus the service's own. */
export type ExamAnalysisOptions = AnalysisOptions & { registeredMissingAsAbsent: boolean };

export const DEFAULT_EXAM_ANALYSIS_OPTIONS: AnalysisOptionsInput = {
  bottomFraction: DEFAULT_ANALYSIS_OPTIONS.bottomFraction,
  scoreDecimals: DEFAULT_ANALYSIS_OPTIONS.scoreDecimals,
  passFraction: DEFAULT_ANALYSIS_OPTIONS.passFraction,
  excellenceFraction: DEFAULT_ANALYSIS_OPTIONS.excellenceFraction,
  meanAbsent: DEFAULT_ANALYSIS_OPTIONS.meanAbsent,
  compositeWeights: { ...DEFAULT_ANALYSIS_OPTIONS.compositeWeights },
  candidates: DEFAULT_ANALYSIS_OPTIONS.candidates,
  includeMultiSubjectCandidates: DEFAULT_ANALYSIS_OPTIONS.includeMultiSubjectCandidates,
  registeredMissingAsAbsent: true,
};

/** Stored options merged over the defaults; a stored value that no longer validates falls back to its default. */
function mergeOptions(stored: unknown): AnalysisOptionsInput {
  const partial = analysisOptionsSchema.partial().safeParse(stored ?? {});
  if (partial.success) return { ...DEFAULT_EXAM_ANALYSIS_OPTIONS, ...stripUndefined(partial.data) };
  const out: Record<string, unknown> = { ...DEFAULT_EXAM_ANALYSIS_OPTIONS };
  if (stored && typeof stored === 'object') {
    for (const [k, v] of Object.entries(stored)) {
      const one = analysisOptionsSchema.partial().safeParse({ [k]: v });
      if (one.success && k in out) out[k] = v;
    }
  }
  return out as AnalysisOptionsInput;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function parseRewardTable(stored: unknown): RewardTable {
  if (stored == null) return DEFAULT_REWARD_TABLE;
  const parsed = rewardTableSchema.safeParse(stored);
  return parsed.success ? parsed.data : DEFAULT_REWARD_TABLE;
}

/** What the analysis needs: the engine options (total named 总分) and the reward table. */
export async function loadAnalysisSettings(q: Queryable): Promise<{ options: ExamAnalysisOptions; rewardTable: RewardTable }> {
  const [opts, table] = await Promise.all([getSetting(q, ANALYSIS_OPTIONS_KEY), getSetting(q, REWARD_TABLE_KEY)]);
  const merged = mergeOptions(opts?.value);
  return { options: { ...DEFAULT_ANALYSIS_OPTIONS, ...merged }, rewardTable: parseRewardTable(table?.value) };
}

/**
 * The default baseline when the bureau set none: 初一 and 初二 — the first semester of the
 * school year (范文1: "以第一学期的后20%作为以后的参照基数"; 初二's −3 points a semester
 * then count from the grade's first semester); other grades none (初三's rule needs none).
 */
export function defaultBaseline(grade: number, schoolYear: string): ExamTerm | null {
  return grade === 7 || grade === 8 ? { schoolYear, term: 1 } : null;
}

/** The grade's targets for a school year: stored, or the 范文1 defaults. */
export async function targetsFor(q: Queryable, grade: number, schoolYear: string): Promise<TargetsResponse & { config: TargetConfig }> {
  const row = await getTargetsRow(q, grade, schoolYear);
  const parsed = row ? targetsBody.safeParse(row.config) : null;
  if (row && parsed?.success) {
    const config: TargetConfig = { grade, schoolYear, baseline: parsed.data.baseline, rules: parsed.data.rules };
    return { grade, schoolYear, baseline: config.baseline, rules: config.rules, isDefault: false, updatedAt: iso(row.updatedAt), updatedBy: row.updatedBy, config };
  }
  const config = defaultTargetConfig(grade, schoolYear, defaultBaseline(grade, schoolYear));
  return { grade, schoolYear, baseline: config.baseline, rules: config.rules, isDefault: true, updatedAt: null, updatedBy: null, config };
}

function iso(v: string | Date | null | undefined): string | null {
  return v == null ? null : new Date(v).toISOString();
}

export async function getTargets(ctx: AppContext, _c: Caller, grade: number, schoolYear: string): Promise<TargetsResponse> {
  const { config: _config, ...view } = await targetsFor(ctx.db, grade, schoolYear);
  return view;
}

export async function putTargets(ctx: AppContext, c: Caller, grade: number, schoolYear: string, body: z.infer<typeof targetsBody>): Promise<TargetsResponse> {
  if (!EXAM_BUREAU_ROLES.includes(c.user.role)) throw forbidden('只有教育局可以设置后20%目标');
  await ctx.db.transaction(async (tx) => {
    const before = await getTargetsRow(tx, grade, schoolYear);
    const config = { grade, schoolYear, baseline: body.baseline, rules: body.rules };
    await tx.execute(sql`INSERT INTO exam_targets (grade, school_year, config, updated_by, updated_at)
      VALUES (${grade}, ${schoolYear}, ${JSON.stringify(config)}::jsonb, ${c.user.id}, now())
      ON CONFLICT (grade, school_year) DO UPDATE SET config = excluded.config, updated_by = excluded.updated_by, updated_at = now()`);
    await writeAudit(tx, c.actor, {
      action: 'exam.targets.updated', entityType: 'exam_targets', entityId: `${schoolYear}/${grade}`,
      before: before?.config ?? null, after: config,
    });
  });
  return getTargets(ctx, c, grade, schoolYear);
}

export async function getSettings(ctx: AppContext, _c: Caller): Promise<ExamSettingsResponse> {
  return readSettings(ctx.db);
}

async function readSettings(q: Queryable): Promise<ExamSettingsResponse> {
  const [opts, table] = await Promise.all([getSetting(q, ANALYSIS_OPTIONS_KEY), getSetting(q, REWARD_TABLE_KEY)]);
  const latest = [opts, table].filter((x) => x != null).sort((a, b) => String(b!.updatedAt).localeCompare(String(a!.updatedAt)))[0];
  return {
    rewardTable: parseRewardTable(table?.value),
    analysisOptions: mergeOptions(opts?.value),
    defaults: { rewardTable: DEFAULT_REWARD_TABLE, analysisOptions: DEFAULT_EXAM_ANALYSIS_OPTIONS },
    updatedAt: iso(latest?.updatedAt),
    updatedBy: latest?.updatedBy ?? null,
  };
}

export async function putSettings(ctx: AppContext, c: Caller, body: z.infer<typeof settingsBody>): Promise<ExamSettingsResponse> {
  if (!EXAM_BUREAU_ROLES.includes(c.user.role)) throw forbidden('只有教育局可以修改后20%分析设置');
  await ctx.db.transaction(async (tx) => {
    const before = await readSettings(tx);
    const upsert = (key: string, value: unknown) => tx.execute(sql`INSERT INTO settings (key, value, updated_by, updated_at)
      VALUES (${key}, ${JSON.stringify(value)}::jsonb, ${c.user.id}, now())
      ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, updated_at = now()`);
    const after: Record<string, unknown> = {};
    if (body.rewardTable) {
      await upsert(REWARD_TABLE_KEY, body.rewardTable);
      after.rewardTable = body.rewardTable;
    }
    if (body.analysisOptions) {
      const merged = { ...before.analysisOptions, ...stripUndefined(body.analysisOptions) };
      await upsert(ANALYSIS_OPTIONS_KEY, merged);
      after.analysisOptions = merged;
    }
    await writeAudit(tx, c.actor, {
      action: 'exam.settings.updated', entityType: 'settings', entityId: 'exams',
      before: { rewardTable: body.rewardTable ? before.rewardTable : undefined, analysisOptions: body.analysisOptions ? before.analysisOptions : undefined },
      after,
    });
  });
  return readSettings(ctx.db);
}
