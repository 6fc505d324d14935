// The yearly refresh (001 篇六 "针对每年特困生、学困生都要流动的具体特点，及时统计更新的帮扶学生名单，
// 调整帮扶对子，保证一个不漏"): the new school year's list proposed from the data — last year's open
// cases, family flags, confirmed 后20% candidates — keeping history (a new case per year, linked to
// last year's). Pure.
//
// "On a year's list" = has a case that school year (any status). new = on this year's list and not
// last year's; continuing = on both; left = on last year's and not this year's.
import { FAMILY_FLAGS, type FamilyFlag } from '../../shared/registry.js';
import { categoriesFromFlags, mergeInto, sortCategories } from './categories.js';
import {
  CLOSE_REASON_LABELS,
  OPEN_CONFIRMED_STATUSES,
  type CaseSource,
  type CaseStatus,
  type CloseReason,
  type SupportCategory,
} from './support.schemas.js';

export interface EnrolledStudent {
  studentId: number;
  name: string;
  schoolId: number;
  classId: number | null;
  className: string | null;
}
export interface PreviousCase {
  id: number;
  studentId: number;
  name: string;
  schoolId: number;
  categories: readonly SupportCategory[];
  status: CaseStatus;
  closeReason: CloseReason | null;
  weakSubjects: readonly string[];
}
export interface ConfirmedCandidate {
  studentId: number;
  examId: string;
  examName: string;
  subjects: readonly string[];
}

export interface RefreshInput {
  schoolYear: string;
  /** when the proposal is made (sources' `at`) */
  at: string;
  /** students enrolled in the new school year (在读) */
  enrolled: readonly EnrolledStudent[];
  flags: ReadonlyMap<number, readonly string[]>;
  candidates: readonly ConfirmedCandidate[];
  previous: readonly PreviousCase[];
  /** cases already stored for the new year: student → case id */
  existing: ReadonlyMap<number, number>;
  /** students with a current responsible teacher (a teacher–student pairing, proposed or active) */
  withTeacher: ReadonlySet<number>;
}

export interface RefreshItem extends EnrolledStudent {
  categories: SupportCategory[];
  sources: CaseSource[];
  weakSubjects: string[];
  previousCaseId: number | null;
  change: 'new' | 'continuing';
  existingCaseId: number | null;
  /** the status a new case starts in */
  status: CaseStatus;
}
export interface LeftCase {
  caseId: number;
  studentId: number;
  studentName: string;
  schoolId: number;
  categories: SupportCategory[];
  reason: string;
}

export function proposeRefresh(input: RefreshInput): { items: RefreshItem[]; left: LeftCase[] } {
  const prevByStudent = new Map(input.previous.map((c) => [c.studentId, c]));
  const candidatesOf = new Map<number, ConfirmedCandidate[]>();
  for (const c of input.candidates) (candidatesOf.get(c.studentId) ?? candidatesOf.set(c.studentId, []).get(c.studentId)!).push(c);
  const items: RefreshItem[] = [];
  for (const st of [...input.enrolled].sort((a, b) => a.studentId - b.studentId)) {
    const prev = prevByStudent.get(st.studentId);
    const open = prev && prev.status !== 'closed' ? prev : undefined;
    let acc = { categories: [] as SupportCategory[], sources: [] as CaseSource[], weakSubjects: [] as string[] };
    if (open) {
      acc = mergeInto(acc, {
        categories: open.categories,
        sources: open.categories.map((category) => ({ kind: 'carried_over' as const, category, previousCaseId: open.id, at: input.at })),
        weakSubjects: open.weakSubjects,
      });
    }
    const fromFlags = categoriesFromFlags((input.flags.get(st.studentId) ?? []).filter((f) => f in FAMILY_FLAGS) as FamilyFlag[], input.at);
    acc = mergeInto(acc, fromFlags);
    for (const c of [...(candidatesOf.get(st.studentId) ?? [])].sort((a, b) => a.examId.localeCompare(b.examId))) {
      acc = mergeInto(acc, {
        categories: ['learning'],
        sources: [{ kind: 'exam', category: 'learning', examId: c.examId, examName: c.examName, subjects: [...c.subjects], at: input.at }],
        weakSubjects: c.subjects,
      });
    }
    if (acc.categories.length === 0) continue;
    const status: CaseStatus = open && (open.status === 'active' || open.status === 'reviewed') && input.withTeacher.has(st.studentId)
      ? 'active'
      : open && OPEN_CONFIRMED_STATUSES.includes(open.status)
        ? 'confirmed'
        : 'identified';
    items.push({
      ...st,
      categories: sortCategories(acc.categories),
      sources: acc.sources,
      weakSubjects: acc.weakSubjects,
      previousCaseId: prev?.id ?? null,
      change: prev ? 'continuing' : 'new',
      existingCaseId: input.existing.get(st.studentId) ?? null,
      status,
    });
  }
  const onNewList = new Set([...items.map((i) => i.studentId), ...input.existing.keys()]);
  const enrolledIds = new Set(input.enrolled.map((e) => e.studentId));
  const left: LeftCase[] = input.previous
    .filter((c) => !onNewList.has(c.studentId))
    .sort((a, b) => a.id - b.id)
    .map((c) => ({
      caseId: c.id,
      studentId: c.studentId,
      studentName: c.name,
      schoolId: c.schoolId,
      categories: [...c.categories],
      reason: c.status === 'closed'
        ? `已结案：${c.closeReason ? CLOSE_REASON_LABELS[c.closeReason] : '—'}`
        : enrolledIds.has(c.studentId) ? '新学年数据中已无帮扶依据' : '未在新学年注册在读（毕业、转学或休学），请结案',
    }));
  return { items, left };
}
