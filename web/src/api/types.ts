// Response shapes the pages code against. Where the server module already publishes zod
// schemas (src/modules/*/*.schemas.ts) the types are inferred from them (type-only imports:
// no runtime cost); the rest follow the API contract and move to the schemas as they land.
import type { z } from 'zod';
import type { meSchema } from '@modules/auth/auth.schemas';
import type { setupStatusSchema } from '@modules/setup/setup.schemas';
import type { familyFlagEntry, revealResponse, studentDetail, studentListItem } from '@modules/students/students.schemas';
import type { importJobView } from '@modules/roster-import/roster-import.schemas';
import type { accountItem } from '@modules/accounts/accounts.schemas';
import type { auditItem } from '@modules/audit/audit.schemas';
import type { dashboardSchema, schoolDetail, schoolListItem } from '@modules/schools/schools.schemas';
import type { teacherDetail, teacherListItem } from '@modules/teachers/teachers.schemas';
import type { examScoreVersion, examView, studentScoreHistory, unmatchedRow } from '@modules/exams/exams.schemas';
import type {
  awardItem, awardsResponse, candidateItem, candidatesResponse, examHeader, subjectStat, subjectsResponse, targetsSummaryResponse,
  trendPoint, trendResponse, unitRow, unitsResponse,
} from '@modules/exams/exam-analysis.schemas';
import type { settingsResponse, targetsResponse } from '@modules/exams/exam-settings.schemas';
import type {
  activityView, dueView, pairingStandingView, pairingView, programmeView, standingsView,
} from '@modules/pairings/pairings.schemas';
import type { caseDetail, caseView, checkQueueView, complianceView, coverageRow, psychView } from '@modules/support/support.schemas';

export type Me = z.infer<typeof meSchema>;
export type SetupStatus = z.infer<typeof setupStatusSchema>;

export interface Paged<T> {
  total: number;
  page: number;
  pageSize: number;
  items: T[];
}

export interface DemoAccount {
  role: string;
  username: string;
  password: string;
  schoolCode?: string;
}

export type Dashboard = z.infer<typeof dashboardSchema>;
export type SchoolListItem = z.infer<typeof schoolListItem>;
export type SchoolDetail = z.infer<typeof schoolDetail>;
export type SchoolClass = SchoolDetail['classes'][number];
export type TeacherListItem = z.infer<typeof teacherListItem>;
export type TeacherDetail = z.infer<typeof teacherDetail>;

export type StudentListItem = z.infer<typeof studentListItem> & { hasFamilyFlags?: boolean };
export type StudentDetail = z.infer<typeof studentDetail>;
export type FamilyFlagEntry = z.infer<typeof familyFlagEntry>;
export type RevealResponse = z.infer<typeof revealResponse>;

export type ImportJob = z.infer<typeof importJobView>;
export type ImportStatus = ImportJob['status'];

export type Account = z.infer<typeof accountItem>;

export type AuditEntry = z.infer<typeof auditItem>;

// 考试分析
export type Exam = z.infer<typeof examView>;
export type ExamUnmatchedRow = z.infer<typeof unmatchedRow>;
export type ExamScoreVersion = z.infer<typeof examScoreVersion>;
export type ExamStudentScoreHistory = z.infer<typeof studentScoreHistory>;
export type ExamHeader = z.infer<typeof examHeader>;
export type ExamSubjectStat = z.infer<typeof subjectStat>;
export type ExamSubjects = z.infer<typeof subjectsResponse>;
export type ExamUnitRow = z.infer<typeof unitRow>;
export type ExamUnits = z.infer<typeof unitsResponse>;
export type ExamTargetsSummary = z.infer<typeof targetsSummaryResponse>;
export type ExamTrendPoint = z.infer<typeof trendPoint>;
export type ExamTrend = z.infer<typeof trendResponse>;
export type ExamCandidate = z.infer<typeof candidateItem>;
export type ExamCandidates = z.infer<typeof candidatesResponse>;
export type ExamAward = z.infer<typeof awardItem>;
export type ExamAwards = z.infer<typeof awardsResponse>;
export type ExamSettings = z.infer<typeof settingsResponse>;
export type ExamTargets = z.infer<typeof targetsResponse>;

// 帮扶对象 (support cases) and the pairings engine they run on
export type ProgrammeView = z.infer<typeof programmeView>;
export type ActivityTypeDef = ProgrammeView['activityTypes'][number];
export type FieldDef = ActivityTypeDef['fields'][number];
export type PairingView = z.infer<typeof pairingView>;
export type PairingStanding = z.infer<typeof pairingStandingView>;
export type Standings = z.infer<typeof standingsView>;
export type DueView = z.infer<typeof dueView>;
export type ActivityView = z.infer<typeof activityView>;
export type SupportCase = z.infer<typeof caseView>;
export type SupportCaseDetail = z.infer<typeof caseDetail>;
export type SupportPsych = z.infer<typeof psychView>;
export type SupportCheckQueue = z.infer<typeof checkQueueView>;
export type SupportCoverageRow = z.infer<typeof coverageRow>;
export type SupportCompliance = z.infer<typeof complianceView>;
export type SupportComplianceRow = SupportCompliance['rows'][number];
