// Exam scores for the demo county — and for a city of several counties (the exam benchmark).
// Pure and deterministic like the rest of the demo: the same plan, students and exam spec
// give the same rows (seeded by the demo's Rng; no Math.random, no clock).
//
//   examSubjectsOfGrade(grade)            the subjects a county exam of that grade tests, with full marks
//   generateExamRows(plan, students, spec) one row per student of the exam's cohort (lazy), plus a few
//                                         students not in the registry, absentees and (on request) defects
//   planCity(opts)                        several counties' schools of one grade merged into one plan
//   demoExamCalendar(today)               which county exams "have taken place" by a date
//
// The shape is what a county sees: 城区 schools above 镇区 above 乡村, 薄弱 and 山区 schools
// lower, classes differ within a school, a student is good or weak across subjects (one
// general ability, plus an aptitude per subject), half points in 语文 and 英语, ~0.5 %
// absent per subject and a few absent from everything. A later exam of the same cohort
// (`wave` > 0) keeps the students' abilities, adds a little drift, and some schools and
// classes improve (a few decline), so "change against the previous exam" means something.
import { makeIdNumber } from '../../shared/id-number.js';
import { GRADE_NAMES, className } from '../../shared/registry.js';
import { planCounty, subjectsOfGrade, type DemoCountyPlan, type DemoStudent, type DemoTeacher } from './generator.js';
import { childGivenName, pickSurname } from './names.js';
import { COUNTY } from './places.js';
import { Rng } from './prng.js';

export interface ExamSubjectDef {
  name: string;
  fullMarks: number;
  countsToTotal: boolean;
}

/** Full marks of a county unified exam by subject (junior school; primary subjects are out of 100). */
const JUNIOR_FULL_MARKS: Record<string, number> = {
  语文: 120, 数学: 120, 英语: 120, 物理: 100, 化学: 100, 生物: 100, 历史: 100, 地理: 100, 道德与法治: 100, 科学: 100,
};
/** Taught but not sat on paper in a county exam (junior school). */
const NOT_EXAMINED = new Set(['体育', '音乐', '美术', '信息技术', '心理健康']);
/** What a primary county exam tests. */
const PRIMARY_EXAMINED = new Set(['语文', '数学', '英语', '科学']);
/** Subjects marked in half points (作文 and the like): their scores end in .5 now and then. */
const HALF_POINTS = new Set(['语文', '英语']);
/** Mean share of full marks per subject (its difficulty). */
const MEAN_SHARE: Record<string, number> = {
  语文: 0.71, 数学: 0.6, 英语: 0.63, 物理: 0.6, 化学: 0.65, 生物: 0.68, 历史: 0.66, 地理: 0.66, 道德与法治: 0.72, 科学: 0.65,
};
/** Every subject's aptitude is drawn in this order, so a student's 数学 aptitude is the same in every exam. */
const APTITUDE_ORDER = ['语文', '数学', '英语', '物理', '化学', '生物', '历史', '地理', '道德与法治', '科学'];

/**
 * The subjects of a county exam of `grade`: those the demo county teaches in that grade
 * (generator.ts subjectsOfGrade) minus the ones not sat on paper (体育, 音乐, 美术, 信息技术);
 * in primary school 语文, 数学 and, from grade 3, 英语 and 科学. All count toward 总分.
 */
export function examSubjectsOfGrade(grade: number): ExamSubjectDef[] {
  const junior = grade >= 7;
  return subjectsOfGrade(grade)
    .filter((s) => (junior ? !NOT_EXAMINED.has(s) : PRIMARY_EXAMINED.has(s)))
    .map((name) => ({ name, fullMarks: junior ? JUNIOR_FULL_MARKS[name] ?? 100 : 100, countsToTotal: true }));
}

/** The benchmark's nine subjects (a city's grade-9 mock exam: 中考 subjects plus 生物 and 地理): 2.7 million scores for 300,000 students. */
export const BENCH_SUBJECTS: ExamSubjectDef[] = ['语文', '数学', '英语', '物理', '化学', '生物', '历史', '地理', '道德与法治'].map((name) => ({
  name,
  fullMarks: JUNIOR_FULL_MARKS[name]!,
  countsToTotal: true,
}));

// ---------------------------------------------------------------- the exam

export interface ExamSpec {
  /** names the exam's random stream (same key, same scores), e.g. '2026-2027/1/期中/9' */
  key: string;
  /** the exam's school year ('2025-2026') and grade: a cohort's earlier exam has a lower grade in an earlier year */
  schoolYear: string;
  grade: number;
  subjects: readonly ExamSubjectDef[];
  /** semesters since the cohort's first exam in this series: 0, 1, 2 … (drift and school trends grow with it) */
  wave: number;
  /** per student and subject (default 0.005) */
  absentRate?: number;
  /** students absent from every subject (default 0.002) */
  absentAllRate?: number;
  /** extra rows of students the registry does not know (借读, not yet registered), per student (default 0.002) */
  unmatchedRate?: number;
  /** this many defective rows (a score above full marks, '九十', a negative score), for the demo's error file (default 0) */
  defects?: number;
  /** only these schools (a school's own exam); default every school with the grade */
  schoolCodes?: ReadonlySet<string>;
}

/** A score (number), absent (null), or a cell's raw text (a defect such as '九十'). */
export type ExamCell = number | null | string;

export interface ExamRow {
  /** 全国学籍号: 'G' + ID number */
  studentNo: string;
  name: string;
  schoolCode: string;
  schoolName: string;
  /** the class as the sheet names it, e.g. 八年级(3)班 */
  className: string;
  /** one per spec.subjects */
  scores: ExamCell[];
  /** false for the students the registry does not know */
  registered: boolean;
  /** for a defective row: what is wrong with it */
  defect?: string;
}

const SCHOOL_LOCATION_EFFECT: Record<string, number> = { 城区: 0.45, 镇区: 0, 乡村: -0.4 };
const FLAG_EFFECT: Record<string, number> = { 薄弱学校: -0.35, 山区学校: -0.15 };
const FAMILY_EFFECT: Record<string, number> = {
  poverty_registered: -0.2, poverty_monitored: -0.15, dibao: -0.1, orphan: -0.25, unattended: -0.25, disabled: -0.4, left_behind: -0.15,
};
/** Where the unregistered (借读) students' ID numbers come from: a region no demo person is born in. */
const UNREGISTERED_REGION = '522401';

/** A standard normal draw (Box–Muller, one of the pair). */
function normal(rng: Rng): number {
  const u = 1 - rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

const logit = (p: number) => Math.log(p / (1 - p));

interface UnitEffect {
  base: number;
  /** per wave */
  trend: number;
}

/** The school's level and its trend over the semesters (some improve, a few decline). */
function schoolEffect(seed: number, school: { code: string; locationType: string; flags: readonly string[] }): UnitEffect {
  const rng = new Rng(`bangfu-exams:${seed}:school:${school.code}`);
  let base = SCHOOL_LOCATION_EFFECT[school.locationType] ?? 0;
  for (const f of school.flags) base += FLAG_EFFECT[f] ?? 0;
  base += 0.2 * normal(rng);
  const x = rng.next();
  const trend = x < 0.3 ? 0.08 + 0.17 * rng.next() : x < 0.4 ? -(0.05 + 0.1 * rng.next()) : 0.03 * normal(rng);
  return { base, trend };
}

/** Keyed by the class's cohort, so the class is the same unit a year later. */
function classEffect(seed: number, key: string): UnitEffect {
  const rng = new Rng(`bangfu-exams:${seed}:class:${key}`);
  return { base: 0.15 * normal(rng), trend: 0.08 * normal(rng) };
}

interface Ability {
  general: number;
  aptitude: Float64Array;
  /** per wave */
  drift: number;
}

function abilityOf(seed: number, studentNo: string): Ability {
  const rng = new Rng(`bangfu-exams:${seed}:student:${studentNo}`);
  const general = normal(rng);
  const aptitude = new Float64Array(APTITUDE_ORDER.length);
  for (let i = 0; i < aptitude.length; i++) aptitude[i] = normal(rng);
  return { general, aptitude, drift: 0.15 * normal(rng) };
}

function familyEffect(s: DemoStudent | null): number {
  if (!s) return 0;
  let e = 0;
  for (const f of s.flags) e += FAMILY_EFFECT[f.flag] ?? 0;
  return Math.max(-0.5, e);
}

/** Subject-dependent constants, computed once per exam. */
interface SubjectModel {
  full: number;
  half: boolean;
  /** logit of the mean share */
  centre: number;
  aptitudeIndex: number;
}

function subjectModels(subjects: readonly ExamSubjectDef[]): SubjectModel[] {
  return subjects.map((s) => ({
    full: s.fullMarks,
    half: HALF_POINTS.has(s.name),
    centre: logit(MEAN_SHARE[s.name] ?? 0.65),
    aptitudeIndex: Math.max(0, APTITUDE_ORDER.indexOf(s.name)),
  }));
}

/** One score: a logistic curve of the student's latent level (bounded by 0 and full marks, with a long lower tail). */
function scoreOf(m: SubjectModel, latent: number): number {
  const share = 1 / (1 + Math.exp(-(m.centre + 1.15 * latent)));
  const raw = m.full * share;
  const rounded = m.half ? Math.round(raw * 2) / 2 : Math.round(raw);
  return Math.min(m.full, Math.max(0, rounded));
}

const DEFECTS: ((full: number, rng: Rng) => [ExamCell, string])[] = [
  (full, rng) => [full + rng.int(1, 15), `成绩超过满分 ${full}`],
  () => ['九十', '成绩不是数字'],
  (_full, rng) => [-rng.int(1, 9), '成绩为负数'],
];

/** The first year of a school year: '2026-2027' → 2026. */
const startYear = (schoolYear: string) => Number(schoolYear.slice(0, 4));

/**
 * The exam's rows, class by class in the plan's order: every student of the cohort at the
 * chosen schools (the cohort is in grade `spec.grade` in `spec.schoolYear`, so in an earlier
 * year the plan's higher grade), with the sheet naming the class as it was then.
 * `students` is the plan's students (generateStudents(plan)) or any subset, in any order.
 */
export function* generateExamRows(plan: DemoCountyPlan, students: Iterable<DemoStudent>, spec: ExamSpec): Generator<ExamRow> {
  const seed = plan.seed;
  const planGrade = spec.grade + (startYear(plan.schoolYear) - startYear(spec.schoolYear));
  const cohort = startYear(spec.schoolYear) - spec.grade;
  const models = subjectModels(spec.subjects);
  const absentRate = spec.absentRate ?? 0.005;
  const absentAllRate = spec.absentAllRate ?? 0.002;
  const unmatchedRate = spec.unmatchedRate ?? 0.002;
  const defects = Math.max(0, Math.floor(spec.defects ?? 0));
  const examRng = new Rng(`bangfu-exams:${seed}:exam:${spec.key}`);
  const extraRng = examRng.fork('unregistered');
  const defectRng = examRng.fork('defects');
  const schoolFx = new Map<number, UnitEffect>();
  const classFx = new Map<number, UnitEffect>();
  const classRng = new Map<number, Rng>();
  const wave = spec.wave;
  let rowIndex = 0;
  let extraSeq = 0;
  const extraIds = new Set<string>();
  let defectsDone = 0;
  const n = models.length;

  const rowOf = (
    student: DemoStudent | null,
    ability: Ability,
    rng: Rng,
    level: number,
    identity: Omit<ExamRow, 'scores' | 'registered'>,
  ): ExamRow => {
    const scores: ExamCell[] = new Array(n);
    const absentAll = rng.chance(absentAllRate);
    for (let j = 0; j < n; j++) {
      const m = models[j]!;
      const noise = normal(rng);
      const absent = rng.chance(absentRate);
      if (absentAll || absent) {
        scores[j] = null;
        continue;
      }
      const latent = level + 0.85 * ability.general + 0.4 * ability.aptitude[m.aptitudeIndex]! + 0.3 * noise + ability.drift * wave;
      scores[j] = scoreOf(m, latent);
    }
    const row: ExamRow = { ...identity, scores, registered: student != null };
    // defective rows: spread over the first few hundred rows, one defect each, kinds in turn
    if (defectsDone < defects && rowIndex === 17 + defectsDone * 53) {
      const j = defectRng.int(0, n - 1);
      const [cell, why] = DEFECTS[defectsDone % DEFECTS.length]!(models[j]!.full, defectRng);
      scores[j] = cell;
      row.defect = `${spec.subjects[j]!.name}：${why}`;
      defectsDone++;
    }
    rowIndex++;
    return row;
  };

  for (const s of students) {
    const cls = plan.classes[s.classIndex]!;
    if (cls.grade !== planGrade) continue;
    const school = plan.schools[s.schoolIndex]!;
    if (spec.schoolCodes && !spec.schoolCodes.has(school.code)) continue;
    let sfx = schoolFx.get(school.index);
    if (!sfx) schoolFx.set(school.index, (sfx = schoolEffect(seed, school)));
    let cfx = classFx.get(cls.index);
    if (!cfx) classFx.set(cls.index, (cfx = classEffect(seed, `${school.code}/${cohort}/${cls.classNo}`)));
    let rng = classRng.get(cls.index);
    if (!rng) classRng.set(cls.index, (rng = examRng.fork(`class/${school.code}/${cohort}/${cls.classNo}`)));
    const unitLevel = sfx.base + sfx.trend * wave + cfx.base + cfx.trend * wave;
    const label = className(spec.grade, cls.classNo);
    yield rowOf(s, abilityOf(seed, s.studentNo), rng, unitLevel + familyEffect(s), {
      studentNo: s.studentNo, name: s.name, schoolCode: school.code, schoolName: school.name, className: label,
    });
    // now and then a student the registry does not know sits the exam in this class
    if (extraRng.chance(unmatchedRate)) {
      const sex: '1' | '2' = extraRng.chance(0.5) ? '1' : '2';
      const birthYear = cohort - 6 - (extraRng.chance(0.1) ? 1 : 0);
      const birthDate = `${birthYear}-${String(extraRng.int(1, 12)).padStart(2, '0')}-${String(extraRng.int(1, 28)).padStart(2, '0')}`;
      // a region the demo never uses and a sequence of our own: never anyone's in the registry
      let id = makeIdNumber(UNREGISTERED_REGION, birthDate, (extraSeq++ % 499) * 2 + (sex === '1' ? 1 : 2), sex);
      while (extraIds.has(id)) id = makeIdNumber(UNREGISTERED_REGION, birthDate, (extraSeq++ % 499) * 2 + (sex === '1' ? 1 : 2), sex);
      extraIds.add(id);
      const ability: Ability = { general: normal(extraRng) - 0.2, aptitude: new Float64Array(APTITUDE_ORDER.length).map(() => normal(extraRng)), drift: 0 };
      yield rowOf(null, ability, extraRng, unitLevel, {
        studentNo: 'G' + id, name: pickSurname(extraRng) + childGivenName(extraRng, sex), schoolCode: school.code, schoolName: school.name, className: label,
      });
    }
  }
}

/** The title rows schools put above the header, e.g. 2026-2027学年第一学期九年级期中全县统考成绩表. */
export function examTitleRows(e: { schoolYear: string; term: 1 | 2; grade: number; kind: string; scopeName?: string; date?: string; office?: string }): string[] {
  const term = e.term === 1 ? '第一学期' : '第二学期';
  const title = `${e.schoolYear}学年${term}${GRADE_NAMES[e.grade] ?? `${e.grade}年级`}${e.kind}${e.scopeName ?? '全县统考'}成绩表`;
  const second = [e.date ? `考试时间：${e.date}` : '', e.office ? `制表：${e.office}` : ''].filter(Boolean).join('　　');
  return second ? [title, second] : [title];
}

// ---------------------------------------------------------------- the exam calendar

export interface DemoExamEvent {
  schoolYear: string;
  term: 1 | 2;
  kind: '期中' | '期末' | '统考';
  /** 'YYYY-MM-DD' */
  date: string;
  /** 入学摸底 is for grade 7 only (a cohort's first exam in junior school) */
  entrance: boolean;
}

/**
 * County exams held on fixed dates (mid-term mid-November and late April, finals mid-January
 * and early July, grade 7's entrance test in September): the ones on or before `today`
 * (a China date, 'YYYY-MM-DD'), oldest first, over the last two school years.
 */
export function demoExamCalendar(today: string): DemoExamEvent[] {
  const y = Number(today.slice(0, 4));
  const out: DemoExamEvent[] = [];
  for (const start of [y - 2, y - 1, y]) {
    const sy = `${start}-${start + 1}`;
    out.push(
      { schoolYear: sy, term: 1, kind: '统考', date: `${start}-09-10`, entrance: true },
      { schoolYear: sy, term: 1, kind: '期中', date: `${start}-11-12`, entrance: false },
      { schoolYear: sy, term: 1, kind: '期末', date: `${start + 1}-01-15`, entrance: false },
      { schoolYear: sy, term: 2, kind: '期中', date: `${start + 1}-04-22`, entrance: false },
      { schoolYear: sy, term: 2, kind: '期末', date: `${start + 1}-07-02`, entrance: false },
    );
  }
  return out.filter((e) => e.date <= today).sort((a, b) => (a.date < b.date ? -1 : 1));
}

/**
 * For a cohort in `grade` now (the plan's school year): its county exams in junior school
 * (the exam's grade ≥ 7) on or before today — the finals (期末统考) and the latest exam, which
 * may be a mid-term — the last `count` of them (default 3), oldest first, each with its grade
 * then. Grade 7 in the autumn has no final yet: the September entrance test (入学摸底) stands in.
 * On 2026-12-02, grade 8: 2025-2026 第一学期期末 and 第二学期期末 (as grade 7), 2026-2027 第一学期期中.
 */
export function demoExamsOfCohort(today: string, schoolYear: string, grade: number, count = 3): (DemoExamEvent & { grade: number })[] {
  const now = startYear(schoolYear);
  const list = demoExamCalendar(today)
    .map((e) => ({ ...e, grade: grade - (now - startYear(e.schoolYear)) }))
    .filter((e) => e.grade >= 7 && e.grade <= 9 && (!e.entrance || e.grade === 7));
  const latest = list.filter((e) => !e.entrance).at(-1);
  const finals = list.filter((e) => e.kind === '期末' && e !== latest);
  const chosen = [...finals, ...(latest ? [latest] : [])];
  if (chosen.length < count) {
    const entrance = list.find((e) => e.entrance && (!latest || e.date < latest.date));
    if (entrance) chosen.unshift(entrance);
  }
  return chosen.slice(-count);
}

// ---------------------------------------------------------------- a city

/** Districts of the demo city (九江's codes; 示范县 is the demo county itself, 360428). */
const DISTRICTS: [string, string][] = [
  ['示范县', COUNTY.regionCode], ['濂溪区', '360402'], ['浔阳区', '360403'], ['柴桑区', '360404'], ['武宁县', '360423'], ['修水县', '360424'],
  ['永修县', '360425'], ['德安县', '360426'], ['湖口县', '360429'], ['彭泽县', '360430'], ['瑞昌市', '360481'], ['共青城市', '360482'], ['庐山市', '360483'],
];

export interface CityOptions {
  /** students of `grade`, exactly (e.g. 300,000) */
  students: number;
  /** the one grade the plan keeps (its classes, their teachers) */
  grade: number;
  /** districts, each a demo county of its own seed (default 10, at most 13) */
  counties?: number;
  seed?: number;
  today: Date;
}

/** Largest remainder: integers proportional to `raw` summing to `total`. */
function apportion(raw: number[], total: number): number[] {
  const sum = raw.reduce((a, b) => a + b, 0) || 1;
  const exact = raw.map((r) => (r * total) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k]![1]]!++;
  return out;
}

/** The ID number with another region and, on a clash, another sequence (check character recomputed). */
function reissueId(id: string, region: string, used: Set<string>): string {
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  const sex: '1' | '2' = Number(id[16]) % 2 === 1 ? '1' : '2';
  let seq = Number(id.slice(14, 17));
  let out = makeIdNumber(region, birth, seq, sex);
  for (let tries = 0; used.has(out) && tries < 500; tries++) {
    seq = (seq + 2) % 1000;
    out = makeIdNumber(region, birth, seq, sex);
  }
  if (used.has(out)) throw new Error(`planCity: no free ID sequence for ${region} ${birth}`);
  used.add(out);
  return out;
}

/**
 * A city (市) for the benchmark: `counties` demo counties (each its own seed and 行政区划代码,
 * schools renamed after the district), keeping only the classes of one grade, their schools,
 * the teachers who teach or head them, and the first county's demo logins. Class sizes are
 * scaled so the grade has exactly `students` students. `generateStudents(plan)` then yields
 * them (ID numbers unique city-wide), and `loadDemoCounty(ctx, { plan })` loads the registry.
 * 300,000 students of grade 9 over 10 districts: ~330 junior schools, ~6,000 classes.
 */
export function planCity(opts: CityOptions): DemoCountyPlan {
  const k = Math.max(1, Math.min(DISTRICTS.length, Math.floor(opts.counties ?? 10)));
  const seed = opts.seed ?? 1;
  // a county's grade holds about 1/7.3 of its students (junior grades are bigger than primary ones)
  const perCounty = Math.max(1000, Math.round((opts.students / k) * 7.3));
  const merged: DemoCountyPlan = {
    ...planCounty({ students: 1, seed, today: opts.today }),
    studentCount: 0,
    schools: [],
    classes: [],
    teachers: [],
    assignments: [],
    accounts: [],
    demoSchoolIndex: -1,
    bureau: { name: '示范市教育局', regionCode: `${COUNTY.regionCode.slice(0, 4)}00`, countyName: '示范市' },
  };
  const rawSizes: number[] = [];
  const teacherIds = new Set<string>();
  for (let d = 0; d < k; d++) {
    const [district, region] = DISTRICTS[d]!;
    const county = planCounty({ students: perCounty, seed: seed * 1000 + d, today: opts.today });
    merged.schoolYear = county.schoolYear;
    merged.today = county.today;
    const kept = county.classes.filter((c) => c.grade === opts.grade);
    const schoolMap = new Map<number, number>();
    for (const c of kept) {
      if (schoolMap.has(c.schoolIndex)) continue;
      const s = county.schools[c.schoolIndex]!;
      schoolMap.set(c.schoolIndex, merged.schools.length);
      merged.schools.push({
        ...s,
        index: merged.schools.length,
        code: region + s.code.slice(6),
        name: d === 0 ? s.name : s.name.startsWith(COUNTY.name) ? district + s.name.slice(COUNTY.name.length) : district + s.name,
        address: d === 0 ? s.address : s.address.replace(COUNTY.name, district),
        studentCount: 0,
      });
    }
    const keptClass = new Set(kept.map((c) => c.index));
    const accountTeachers = d === 0 ? county.accounts.filter((a) => a.schoolIndex != null && schoolMap.has(a.schoolIndex)).map((a) => a.teacherIndex) : [];
    const keepTeacher = new Set<number>([
      ...county.assignments.filter((a) => keptClass.has(a.classIndex)).map((a) => a.teacherIndex),
      ...kept.map((c) => c.headTeacherIndex),
      ...accountTeachers.filter((t): t is number => t != null),
    ]);
    const teacherMap = new Map<number, number>();
    for (const t of county.teachers) {
      if (!keepTeacher.has(t.index) || !schoolMap.has(t.schoolIndex)) continue;
      teacherMap.set(t.index, merged.teachers.length);
      const idNumber = reissueId(t.idNumber, t.idNumber.startsWith(COUNTY.regionCode) ? region : t.idNumber.slice(0, 6), teacherIds);
      const copy: DemoTeacher = { ...t, index: merged.teachers.length, schoolIndex: schoolMap.get(t.schoolIndex)!, idNumber };
      merged.teachers.push(copy);
    }
    const classMap = new Map<number, number>();
    for (const c of kept) {
      classMap.set(c.index, merged.classes.length);
      rawSizes.push(c.size);
      merged.classes.push({
        ...c,
        index: merged.classes.length,
        schoolIndex: schoolMap.get(c.schoolIndex)!,
        headTeacherIndex: teacherMap.get(c.headTeacherIndex) ?? -1,
      });
    }
    for (const a of county.assignments) {
      const ci = classMap.get(a.classIndex);
      const ti = teacherMap.get(a.teacherIndex);
      if (ci != null && ti != null) merged.assignments.push({ teacherIndex: ti, classIndex: ci, subject: a.subject });
    }
    if (d === 0) {
      for (const a of county.accounts) {
        if (a.schoolIndex != null && !schoolMap.has(a.schoolIndex)) continue;
        merged.accounts.push({
          ...a,
          schoolIndex: a.schoolIndex == null ? null : schoolMap.get(a.schoolIndex)!,
          teacherIndex: a.teacherIndex == null ? null : teacherMap.get(a.teacherIndex) ?? null,
        });
      }
      merged.demoSchoolIndex = schoolMap.get(county.demoSchoolIndex) ?? 0;
    }
  }
  apportion(rawSizes, opts.students).forEach((size, i) => {
    merged.classes[i]!.size = size;
    merged.schools[merged.classes[i]!.schoolIndex]!.studentCount += size;
  });
  merged.studentCount = opts.students;
  return merged;
}
