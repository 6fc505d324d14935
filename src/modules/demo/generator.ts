// The demo county, generated. Pure and deterministic: the same options give byte-identical
// output (no clock, no Math.random), so the demo, the tests and the benchmarks share it.
//
//   planCounty(opts)        bureau, schools, classes (with sizes), teachers, assignments, accounts
//   generateStudents(plan)  the students, class by class (a generator: 200,000 need not sit in memory)
//   generateCounty(opts)    both, students collected into an array
import { makeIdNumber } from '../../shared/id-number.js';
import { GRADES_BY_KIND, className, type FamilyFlag, type LocationType, type SchoolKind } from '../../shared/registry.js';
import type { Role } from '../../shared/roles.js';
import { chinaDateParts, schoolYearOf } from '../../shared/school-year.js';
import { adultName, childGivenName, mobilePhone, pickSurname } from './names.js';
import { COUNTY, FAR_REGIONS, NEARBY_REGIONS, SCHOOL_TEMPLATES, schoolCountFor, townNamed, type SchoolTemplate, type Town } from './places.js';
import { Rng, weighted } from './prng.js';

export const DEFAULT_STUDENTS = 25_000;
export const DEFAULT_SEED = 1;

export interface DemoOptions {
  /** number of students, exactly (default 25,000 → about 30 schools and 1,500 teachers) */
  students?: number;
  seed?: number;
  /** "today": fixes the school year, ages and record dates, so the output is deterministic */
  today: Date;
}

export interface DemoSchool {
  index: number;
  code: string;
  name: string;
  kind: SchoolKind;
  locationType: LocationType;
  flags: string[];
  town: string;
  address: string;
  phone: string;
  studentCount: number;
}

export interface DemoClass {
  index: number;
  schoolIndex: number;
  grade: number;
  classNo: number;
  name: string;
  size: number;
  headTeacherIndex: number;
}

export interface DemoTeacher {
  index: number;
  schoolIndex: number;
  staffNo: string;
  name: string;
  sex: '1' | '2';
  birthDate: string;
  idNumber: string;
  phone: string;
  /** what the teacher teaches, the main subject first */
  subjects: string[];
  teachingGroup: string;
  yearsOfService: number;
  title: string;
  backboneLevel: string;
  position: string | null;
  isLeader: boolean;
}

export interface DemoAssignment {
  teacherIndex: number;
  classIndex: number;
  subject: string;
}

export interface DemoGuardian {
  name: string;
  relation: string;
  phone: string;
}

export interface DemoStudent {
  index: number;
  schoolIndex: number;
  classIndex: number;
  /** 全国学籍号: 'G' + ID number, as the national registration system issues it */
  studentNo: string;
  idNumber: string;
  name: string;
  sex: '1' | '2';
  birthDate: string;
  /** GB/T 3304 code */
  ethnicity: string;
  address: string;
  guardians: DemoGuardian[];
  flags: DemoFlag[];
}

export interface DemoFlag {
  flag: FamilyFlag;
  source: string;
  recordedOn: string;
  note: string | null;
}

export interface DemoAccountPlan {
  role: Role;
  username: string;
  displayName: string;
  schoolIndex: number | null;
  teacherIndex: number | null;
}

export interface DemoCountyPlan {
  seed: number;
  /** 'YYYY-MM-DD' */
  today: string;
  schoolYear: string;
  studentCount: number;
  bureau: { name: string; regionCode: string; countyName: string };
  schools: DemoSchool[];
  classes: DemoClass[];
  teachers: DemoTeacher[];
  assignments: DemoAssignment[];
  /** the school whose staff get the school-level demo logins */
  demoSchoolIndex: number;
  accounts: DemoAccountPlan[];
}

export interface DemoCounty extends DemoCountyPlan {
  students: DemoStudent[];
}

/** Where each family flag comes from in real life (which department's list, or the school itself). */
export const FLAG_SOURCES: Record<FamilyFlag, string> = {
  poverty_registered: '乡村振兴局（扶贫办）',
  poverty_monitored: '乡村振兴局（扶贫办）',
  dibao: '民政局',
  tekun: '民政局',
  orphan: '民政局',
  unattended: '民政局',
  disabled: '残联',
  single_parent: '学校认定',
  left_behind: '学校认定',
  migrant: '学校认定',
};

// ---------------------------------------------------------------- dates

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const DAY = 86_400_000;
const isoUtc = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** the date of `d` on the China calendar, as schoolYearOf reads it */
const chinaIso = (d: Date) => {
  const { year, month, day } = chinaDateParts(d);
  return `${year}-${pad(month)}-${pad(day)}`;
};
const utcMs = (iso: string) => Date.parse(iso + 'T00:00:00Z');
function randomDate(rng: Rng, fromIso: string, toIso: string): string {
  const a = utcMs(fromIso), b = utcMs(toIso);
  return isoUtc(a + rng.int(0, Math.max(0, Math.round((b - a) / DAY))) * DAY);
}

// ---------------------------------------------------------------- ID numbers

/** Hands out ID numbers that are unique in the county (the sequence digits differ per region and birth date). */
class IdAllocator {
  private used = new Map<string, Set<number>>();

  next(rng: Rng, region: string, birthDate: string, sex: '1' | '2'): string {
    const key = region + birthDate;
    let set = this.used.get(key);
    if (!set) this.used.set(key, (set = new Set()));
    // the 17th digit is odd for a man, even for a woman; 000 is never issued
    let seq = rng.int(0, 499) * 2 + (sex === '1' ? 1 : 0);
    for (let tries = 0; (set.has(seq) || seq === 0) && tries < 500; tries++) seq = (seq + 2) % 1000;
    if (set.has(seq) || seq === 0) throw new Error(`demo generator: no free ID sequence for ${key}`);
    set.add(seq);
    return makeIdNumber(region, birthDate, seq, sex);
  }
}

// ---------------------------------------------------------------- schools and classes

const CLASS_SIZE: Record<LocationType | '教学点' | '乡镇中学', [number, number]> = {
  城区: [45, 55],
  镇区: [35, 50],
  乡村: [10, 30],
  教学点: [3, 10],
  // a township junior school takes the whole township's grade 7, so its classes are not village-sized
  乡镇中学: [30, 45],
};

function classSizeRange(kind: SchoolKind, location: LocationType, grade: number): [number, number] {
  if (kind === '教学点') return CLASS_SIZE.教学点;
  if (location === '乡村' && grade >= 7) return CLASS_SIZE.乡镇中学;
  return CLASS_SIZE[location];
}

const STAGE_DIGIT: Record<SchoolKind, string> = { 小学: '1', 初级中学: '2', 完全中学: '2', 九年一贯制学校: '3', 教学点: '4' };

function chooseTemplates(students: number): SchoolTemplate[] {
  const n = schoolCountFor(students);
  const chosen = new Set([...SCHOOL_TEMPLATES].sort((a, b) => a.priority - b.priority).slice(0, n));
  // listed in the catalogue's order: county seat first, then towns, then villages
  return SCHOOL_TEMPLATES.filter((x) => chosen.has(x));
}

function streetAddress(rng: Rng, town: Town): string {
  const street = rng.pick(town.streets);
  if (/(花园|小区|新城|苑)$/.test(street)) return `${COUNTY.name}${town.name}${street}${rng.int(1, 18)}栋${rng.int(1, 4)}单元${rng.int(1, 18)}0${rng.int(1, 4)}室`;
  return `${COUNTY.name}${town.name}${street}${rng.int(1, 320)}号`;
}

function villageAddress(rng: Rng, town: Town, village = rng.pick(town.villages)): string {
  return `${COUNTY.name}${town.name}${village}${rng.int(1, 12)}组${rng.int(1, 60)}号`;
}

/** A village school (村小, 教学点) is in its village; the others are in the town centre. */
function schoolAddress(rng: Rng, name: string, town: Town): string {
  const village = town.villages.find((v) => v !== `${town.name.slice(0, 2)}村` && name.includes(v.replace(/村$/, '')));
  if (village) return `${COUNTY.name}${town.name}${village}`;
  const street = town.streets.find((x) => !/(花园|小区|新城|苑)$/.test(x)) ?? town.streets[0]!;
  return `${COUNTY.name}${town.name}${street}${rng.int(1, 99)}号`;
}

/** Scales raw sizes to integers that sum to `total` exactly (largest remainder, ties by position). */
function apportion(raw: number[], total: number): number[] {
  const sum = raw.reduce((a, b) => a + b, 0) || 1;
  const exact = raw.map((r) => (r * total) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k]![1]]!++;
  return out;
}

// ---------------------------------------------------------------- teachers

type Stage = 'primary' | 'junior';
const stageOf = (grade: number): Stage => (grade <= 6 ? 'primary' : 'junior');

/** What the demo county teaches in a grade (exam-scores.ts derives the exam subjects from it). */
export function subjectsOfGrade(grade: number): string[] {
  if (grade <= 2) return ['语文', '数学', '道德与法治', '音乐', '体育', '美术'];
  if (grade <= 6) return ['语文', '数学', '英语', '科学', '道德与法治', '音乐', '体育', '美术', '信息技术'];
  return [
    '语文', '数学', '英语', '道德与法治', '历史',
    ...(grade <= 8 ? ['地理', '生物'] : []),
    ...(grade >= 8 ? ['物理'] : []),
    ...(grade === 9 ? ['化学'] : []),
    '体育',
    ...(grade <= 8 ? ['音乐', '美术', '信息技术'] : []),
  ];
}

/** How many classes one teacher of `subject` takes (never more than 4). */
function loadOf(subject: string, stage: Stage): number {
  if (stage === 'primary') return subject === '语文' ? 1 : subject === '数学' ? 2 : 4;
  if (['语文', '数学', '英语'].includes(subject)) return 2;
  return 4;
}

/**
 * Subjects taught by another subject's teacher of the same class. Primary class teachers
 * (语文) usually take 道德与法治 and 数学 teachers 科学; outside the county seat one teacher
 * covers several subjects of a class (包班), and village junior schools lack specialists.
 */
function carrierOf(subject: string, stage: Stage, location: LocationType): string | null {
  if (stage === 'primary') {
    if (subject === '道德与法治') return '语文';
    if (subject === '科学') return '数学';
    if (location === '城区') return null;
    if (subject === '音乐' || subject === '美术') return '语文';
    if (subject === '体育' || subject === '信息技术') return '数学';
    return null;
  }
  if (location !== '乡村') return null;
  if (subject === '音乐') return '语文';
  if (subject === '美术') return '英语';
  if (subject === '信息技术') return '数学';
  return null;
}

function teachingGroupOf(subject: string, stage: Stage): string {
  switch (subject) {
    case '语文': case '数学': case '英语': return `${subject}组`;
    case '物理': case '化学': case '生物': return '理化生组';
    case '科学': return '科学组';
    case '道德与法治': case '历史': case '地理': return stage === 'junior' ? '政史地组' : '综合组';
    case '体育': return '体育组';
    case '音乐': case '美术': return '艺术组';
    default: return '综合组';
  }
}

function titleFor(rng: Rng, yos: number, urban: boolean): string {
  const x = rng.next();
  if (yos === 0) return x < 0.8 ? '未定级' : '三级教师';
  if (yos <= 3) return x < 0.7 ? '二级教师' : x < 0.9 ? '未定级' : '三级教师';
  if (yos <= 10) return x < 0.4 ? '一级教师' : '二级教师';
  if (yos <= 20) return x < 0.65 ? '一级教师' : x < 0.85 ? '高级教师' : '二级教师';
  if (urban && x < 0.01) return '正高级教师';
  return x < 0.46 ? '高级教师' : x < 0.96 ? '一级教师' : '二级教师';
}

const pickBackbone = weighted<string>([['无', 78], ['校级', 10], ['县级', 8], ['市级', 3.5], ['省级', 0.5]]);

interface TeacherDraft extends DemoTeacher {
  classes: Set<number>;
}

// ---------------------------------------------------------------- the plan

export function planCounty(opts: DemoOptions): DemoCountyPlan {
  const studentCount = Math.max(1, Math.floor(opts.students ?? DEFAULT_STUDENTS));
  const seed = opts.seed ?? DEFAULT_SEED;
  const root = new Rng(`bangfu-demo:${seed}`);
  const schoolYear = schoolYearOf(opts.today);
  const today = chinaIso(opts.today);
  const ids = new IdAllocator();

  // Schools: the nominal sizes scaled so the county has `studentCount` students; 教学点 keep their few.
  const templates = chooseTemplates(studentCount);
  const tinyTotal = templates.filter((x) => x.kind === '教学点').reduce((a, x) => a + x.weight, 0);
  const otherTotal = templates.reduce((a, x) => a + x.weight, 0) - tinyTotal;
  const scale = Math.max(0.05, (studentCount - tinyTotal) / otherTotal);
  const schoolRng = root.fork('schools');
  const stageSeq: Record<string, number> = {};
  const schools: DemoSchool[] = templates.map((tpl, index) => {
    const digit = STAGE_DIGIT[tpl.kind];
    stageSeq[digit] = (stageSeq[digit] ?? 0) + 1;
    const town = townNamed(tpl.town);
    return {
      index,
      code: `${COUNTY.regionCode}${digit}${pad(stageSeq[digit]!, 3)}`,
      name: tpl.name,
      kind: tpl.kind,
      locationType: tpl.location,
      flags: [...tpl.flags],
      town: tpl.town,
      address: schoolAddress(schoolRng, tpl.name, town),
      phone: `${COUNTY.areaCode}-${schoolRng.int(2, 8)}${pad(schoolRng.int(0, 999_999), 6)}`,
      studentCount: 0,
    };
  });

  // Classes per grade sized by location; then every size nudged so the total is exact.
  const classRng = root.fork('classes');
  const classes: DemoClass[] = [];
  const raw: number[] = [];
  for (const school of schools) {
    const tpl = templates[school.index]!;
    const grades = GRADES_BY_KIND[school.kind];
    const tiny = school.kind === '教学点';
    const perGrade = (tpl.weight * scale) / grades.length;
    for (const grade of grades) {
      const [min, max] = classSizeRange(school.kind, school.locationType, grade);
      const n = tiny ? 1 : Math.max(1, Math.round(perGrade / ((min + max) / 2)), Math.ceil(perGrade / (max * 0.95)));
      for (let classNo = 1; classNo <= n; classNo++) {
        classes.push({ index: classes.length, schoolIndex: school.index, grade, classNo, name: className(grade, classNo), size: 0, headTeacherIndex: -1 });
        raw.push(tiny ? classRng.int(min, max) : (perGrade / n) * (0.92 + 0.16 * classRng.next()));
      }
    }
  }
  apportion(raw, studentCount).forEach((size, i) => {
    classes[i]!.size = size;
    schools[classes[i]!.schoolIndex]!.studentCount += size;
  });

  const demoSchoolIndex = (
    schools.find((x) => x.kind === '初级中学' && x.locationType === '城区') ??
    schools.find((x) => x.kind !== '小学' && x.kind !== '教学点') ??
    [...schools].sort((a, b) => b.studentCount - a.studentCount)[0]!
  ).index;

  // Teachers: enough to cover every class's subjects, each taking one to four classes.
  const teachers: TeacherDraft[] = [];
  const assignments: DemoAssignment[] = [];
  for (const school of schools) {
    staffSchool(root.fork(`teachers/${school.index}`), school, classes.filter((c) => c.schoolIndex === school.index), school.index === demoSchoolIndex);
  }

  function newTeacher(rng: Rng, school: DemoSchool, subject: string, stage: Stage, seq: number): TeacherDraft {
    const rural = school.locationType === '乡村';
    const femaleShare = stage === 'primary' ? (school.locationType === '城区' ? 0.8 : rural ? 0.55 : 0.7) : rural ? 0.45 : 0.58;
    const sex: '1' | '2' = rng.chance(femaleShare) ? '2' : '1';
    // village schools have more young (特岗) teachers
    const yos = rng.chance(rural ? 0.24 : 0.14) ? rng.int(0, 3) : 4 + Math.floor(((rng.next() + rng.next()) / 2) * 32);
    const startAge = rng.int(21, 24);
    const birthYear = Number(today.slice(0, 4)) - yos - startAge - (rng.chance(0.6) ? 1 : 0);
    const birthDate = randomDate(rng, `${birthYear}-01-01`, `${birthYear}-12-31`);
    const region = rng.chance(0.75) ? COUNTY.regionCode : rng.pick(NEARBY_REGIONS);
    return {
      index: -1,
      schoolIndex: school.index,
      staffNo: `${school.code.slice(6)}${pad(seq, 3)}`,
      name: adultName(rng, sex),
      sex,
      birthDate,
      idNumber: ids.next(rng, region, birthDate, sex),
      phone: mobilePhone(rng),
      subjects: [subject],
      teachingGroup: teachingGroupOf(subject, stage),
      yearsOfService: yos,
      title: titleFor(rng, yos, school.locationType === '城区'),
      backboneLevel: yos < 5 ? '无' : pickBackbone(rng),
      position: null,
      isLeader: false,
      classes: new Set(),
    };
  }

  function staffSchool(rng: Rng, school: DemoSchool, own: DemoClass[], isDemoSchool: boolean) {
    const staff: TeacherDraft[] = [];
    const add = (subject: string, stage: Stage) => {
      const t = newTeacher(rng, school, subject, stage, staff.length + 1);
      staff.push(t);
      return t;
    };
    const assign = (t: TeacherDraft, c: DemoClass, subject: string) => {
      if (!t.subjects.includes(subject)) t.subjects.push(subject);
      t.classes.add(c.index);
      assignments.push({ teacherIndex: -1 - staff.indexOf(t), classIndex: c.index, subject });
    };
    const tiny = school.kind === '教学点';
    if (tiny) {
      // 复式教学: two teachers (one in the smallest) share every class and every subject
      const a = add('语文', 'primary');
      const b = school.studentCount >= 12 ? add('数学', 'primary') : a;
      for (const c of own) {
        for (const subject of subjectsOfGrade(c.grade)) {
          const who = ['数学', '科学', '体育', '信息技术'].includes(subject) ? b : a;
          assign(who, c, subject);
        }
      }
    } else {
      // who teaches subject s in class c, for the subjects carried by another teacher
      const holder = new Map<string, TeacherDraft>();
      const key = (c: DemoClass, subject: string) => `${c.index}:${subject}`;
      const bySubject = new Map<string, DemoClass[]>();
      const carried: [DemoClass, string, string][] = [];
      for (const c of own) {
        for (const subject of subjectsOfGrade(c.grade)) {
          const carrier = carrierOf(subject, stageOf(c.grade), school.locationType);
          if (carrier && subjectsOfGrade(c.grade).includes(carrier)) carried.push([c, subject, carrier]);
          else {
            const k = `${stageOf(c.grade)}:${subject}`;
            if (!bySubject.has(k)) bySubject.set(k, []);
            bySubject.get(k)!.push(c);
          }
        }
      }
      for (const [k, list] of bySubject) {
        const [stage, subject] = k.split(':') as [Stage, string];
        const load = loadOf(subject, stage);
        for (let i = 0; i < list.length; i += load) {
          const t = add(subject, stage);
          for (const c of list.slice(i, i + load)) {
            assign(t, c, subject);
            holder.set(key(c, subject), t);
          }
        }
      }
      for (const [c, subject, carrier] of carried) assign(holder.get(key(c, carrier))!, c, subject);
    }
    // a psychological counsellor in the bigger schools (and always in the demo school)
    if (!tiny && (school.studentCount >= 800 || isDemoSchool)) {
      const stage = stageOf(own[own.length - 1]?.grade ?? 1);
      const t = add('心理健康', stage);
      t.position = '心理辅导室负责人';
      for (const c of own.slice(0, 2)) assign(t, c, '心理健康');
    }

    // Leaders: drawn from the more experienced third; the most senior of them is the principal.
    const positions = tiny
      ? ['教学点负责人']
      : school.studentCount >= 1000
        ? ['校长', '副校长', '副校长', '教导主任', '德育主任', '总务主任']
        : school.studentCount >= 300
          ? ['校长', '副校长', '教导主任']
          : staff.length >= 4 ? ['校长', '教导主任'] : ['校长'];
    const bySeniority = staff.filter((t) => t.position == null).sort((a, b) => b.yearsOfService - a.yearsOfService);
    const pool = bySeniority.slice(0, Math.max(positions.length, Math.ceil(bySeniority.length / 3)));
    const seniors = rng.sample(pool, positions.length).sort((a, b) => b.yearsOfService - a.yearsOfService);
    seniors.forEach((t, i) => {
      t.position = positions[i]!;
      t.isLeader = true;
    });

    // Head teachers: one per class, preferably its 语文 (then 数学, 英语) teacher, not a principal,
    // and nobody heads two classes unless the school has too few teachers (教学点).
    const heads = new Set<TeacherDraft>();
    const order = ['语文', '数学', '英语'];
    const rank = (t: TeacherDraft) => {
      const i = order.indexOf(t.subjects[0]!);
      return i < 0 ? order.length : i;
    };
    for (const c of own) {
      const teachersOfClass = staff.filter((t) => t.classes.has(c.index)).sort((a, b) => rank(a) - rank(b));
      const free = (t: TeacherDraft) => !heads.has(t) && t.position !== '校长' && t.position !== '副校长';
      const chosen =
        teachersOfClass.find(free) ??
        teachersOfClass.find((t) => !heads.has(t)) ??
        staff.find(free) ??
        teachersOfClass[0] ?? staff[0]!;
      heads.add(chosen);
      c.headTeacherIndex = -1 - staff.indexOf(chosen);
    }

    // give the school's staff their county-wide indexes
    const base = teachers.length;
    for (const t of staff) {
      t.index = teachers.length;
      teachers.push(t);
    }
    for (const a of assignments) if (a.teacherIndex < 0) a.teacherIndex = base + (-1 - a.teacherIndex);
    for (const c of own) if (c.headTeacherIndex < 0) c.headTeacherIndex = base + (-1 - c.headTeacherIndex);
  }

  const accounts = planAccounts(root.fork('accounts'), schools[demoSchoolIndex]!, classes, teachers);

  return {
    seed,
    today,
    schoolYear,
    studentCount,
    bureau: { name: COUNTY.bureauName, regionCode: COUNTY.regionCode, countyName: COUNTY.name },
    schools,
    classes,
    teachers: teachers.map(({ classes: _c, ...t }) => t),
    assignments,
    demoSchoolIndex,
    accounts,
  };
}

// ---------------------------------------------------------------- accounts

function planAccounts(rng: Rng, school: DemoSchool, classes: DemoClass[], teachers: TeacherDraft[]): DemoAccountPlan[] {
  const staff = teachers.filter((t) => t.schoolIndex === school.index);
  const byPosition = (p: string) => staff.find((t) => t.position === p);
  const ownClasses = classes.filter((c) => c.schoolIndex === school.index);
  const headIndexes = new Set(ownClasses.map((c) => c.headTeacherIndex));
  const principal = byPosition('校长') ?? staff[0]!;
  const office = byPosition('教导主任') ?? byPosition('副校长') ?? principal;
  const head = teachers[ownClasses.find((c) => !teachers[c.headTeacherIndex]!.isLeader)?.headTeacherIndex ?? ownClasses[0]!.headTeacherIndex]!;
  // a plain subject teacher: teaches classes, heads none, leads nothing
  const subjectTeacher =
    staff.find((t) => !t.isLeader && !headIndexes.has(t.index) && t.subjects[0] !== '心理健康' && t.classes.size >= 2) ??
    staff.find((t) => t.index !== head.index && t.classes.size > 0) ??
    head;
  const counsellor = staff.find((t) => t.subjects[0] === '心理健康') ?? office;
  const mk = (role: Role, username: string, displayName: string, teacher: TeacherDraft | null, atSchool: boolean): DemoAccountPlan => ({
    role,
    username,
    displayName,
    schoolIndex: atSchool ? school.index : null,
    teacherIndex: teacher ? teacher.index : null,
  });
  return [
    mk('bureau_admin', 'admin', '系统管理员', null, false),
    mk('bureau_staff', 'staff', adultName(rng, rng.chance(0.5) ? '1' : '2'), null, false),
    mk('inspector', 'inspector', adultName(rng, '1'), null, false),
    mk('principal', 'principal', principal.name, principal, true),
    mk('academic_office', 'office', office.name, office, true),
    mk('head_teacher', 'headteacher', head.name, head, true),
    mk('teacher', 'teacher', subjectTeacher.name, subjectTeacher, true),
    mk('counsellor', 'counsellor', counsellor.name, counsellor, true),
  ];
}

// ---------------------------------------------------------------- students

/** Family situations by location: villages have more poverty and more left-behind children. */
const RATES: Record<LocationType, Record<string, number>> = {
  城区: { poverty: 0.014, monitored: 0.002, dibao: 0.009, tekun: 0.001, orphan: 0.001, unattended: 0.0015, disabled: 0.006, single: 0.032, leftBehind: 0.04, migrant: 0.1 },
  镇区: { poverty: 0.04, monitored: 0.006, dibao: 0.016, tekun: 0.002, orphan: 0.0015, unattended: 0.0025, disabled: 0.008, single: 0.032, leftBehind: 0.085, migrant: 0.04 },
  乡村: { poverty: 0.075, monitored: 0.01, dibao: 0.025, tekun: 0.004, orphan: 0.0025, unattended: 0.004, disabled: 0.01, single: 0.032, leftBehind: 0.13, migrant: 0.01 },
};

const pickEthnicity = weighted<string>([['01', 98.6], ['22', 0.7], ['06', 0.25], ['15', 0.15], ['08', 0.1], ['03', 0.1], ['11', 0.05], ['12', 0.05]]);
const DISABILITY = ['视力', '听力', '言语', '肢体', '智力', '精神', '多重'];
const LEVELS = ['一级', '二级', '三级', '四级'];
const GRANDPARENT: [string, '1' | '2', boolean][] = [['祖父', '1', true], ['祖母', '2', false], ['外祖父', '1', false], ['外祖母', '2', false]];
const RELATIVE: [string, '1' | '2', boolean][] = [['祖母', '2', false], ['祖父', '1', true], ['伯父', '1', true], ['叔叔', '1', true], ['姑姑', '2', true], ['舅舅', '1', false], ['外祖母', '2', false]];

/** The students, class by class, in a fixed order. Lazy: the caller decides what to keep. */
export function* generateStudents(plan: DemoCountyPlan): Generator<DemoStudent> {
  const root = new Rng(`bangfu-demo:${plan.seed}`);
  const ids = new IdAllocator();
  const startYear = Number(plan.schoolYear.slice(0, 4));
  const yearStart = `${startYear}-09-01`;
  let index = 0;
  for (const cls of plan.classes) {
    const rng = root.fork(`students/${cls.index}`);
    const school = plan.schools[cls.schoolIndex]!;
    const town = townNamed(school.town);
    const rates = RATES[school.locationType];
    for (let k = 0; k < cls.size; k++) {
      const sex: '1' | '2' = rng.chance(0.53) ? '1' : '2';
      // age by grade: grade 1 in the school year starting in September Y was born Sep (Y-7) – Aug (Y-6); some are a year older
      const older = rng.chance(0.06) ? 1 : 0;
      const from = `${startYear - 7 - cls.grade + 1 - older}-09-01`;
      const to = `${startYear - 6 - cls.grade + 1 - older}-08-31`;
      const birthDate = randomDate(rng, from, to);

      const flags = new Set<FamilyFlag>();
      if (rng.chance(rates.poverty!)) flags.add('poverty_registered');
      else if (rng.chance(rates.monitored!)) flags.add('poverty_monitored');
      const poor = flags.size > 0;
      if (rng.chance(poor ? 0.28 : rates.dibao!)) flags.add('dibao');
      if (rng.chance(rates.orphan!)) flags.add('orphan');
      else if (rng.chance(rates.unattended!)) flags.add('unattended');
      if (rng.chance(flags.has('orphan') ? 0.4 : rates.tekun!)) flags.add('tekun');
      if (rng.chance(poor ? 0.04 : rates.disabled!)) flags.add('disabled');
      const parentless = flags.has('orphan') || flags.has('unattended');
      if (!parentless && rng.chance(poor ? 0.08 : rates.single!)) flags.add('single_parent');
      if (!parentless) {
        if (rng.chance(rates.migrant!)) flags.add('migrant');
        else if (rng.chance(poor ? rates.leftBehind! * 1.3 : rates.leftBehind!)) flags.add('left_behind');
      }

      // born here mostly; migrants' families came from elsewhere; some were born where parents worked
      const region = flags.has('migrant')
        ? rng.chance(0.15) ? COUNTY.regionCode : rng.chance(0.7) ? rng.pick(NEARBY_REGIONS) : rng.pick(FAR_REGIONS)
        : rng.chance(0.93) ? COUNTY.regionCode : rng.chance(0.4) ? rng.pick(NEARBY_REGIONS) : rng.pick(FAR_REGIONS);
      const idNumber = ids.next(rng, region, birthDate, sex);

      const fatherSurname = pickSurname(rng);
      const surname = rng.chance(0.95) ? fatherSurname : pickSurname(rng);
      const name = surname + childGivenName(rng, sex);
      const father: DemoGuardian = { name: adultName(rng, '1', fatherSurname), relation: '父亲', phone: mobilePhone(rng) };
      const mother: DemoGuardian = { name: adultName(rng, '2'), relation: '母亲', phone: mobilePhone(rng) };
      const kin = (list: [string, '1' | '2', boolean][]): DemoGuardian => {
        const [relation, s, sameSurname] = rng.pick(list);
        return { name: adultName(rng, s, sameSurname ? fatherSurname : undefined), relation, phone: mobilePhone(rng) };
      };
      let guardians: DemoGuardian[];
      if (parentless) guardians = [kin(RELATIVE)];
      // a left-behind child lives with grandparents; the parent (or parents) work away
      else if (flags.has('left_behind')) guardians = [kin(GRANDPARENT), rng.chance(flags.has('single_parent') ? 0.4 : 0.55) ? father : mother];
      else if (flags.has('single_parent')) guardians = [rng.chance(0.6) ? mother : father, ...(rng.chance(0.3) ? [kin(GRANDPARENT)] : [])];
      else guardians = rng.chance(0.6) ? [father, mother] : rng.chance(0.5) ? [mother, father] : [rng.chance(0.5) ? father : mother];

      const urbanHome = school.locationType === '城区' ? rng.chance(0.8) || flags.has('migrant') : school.locationType === '镇区' ? rng.chance(0.45) : false;
      const address = urbanHome ? streetAddress(rng, town) : villageAddress(rng, town);

      const ethnicity = school.flags.includes('民族学校') && rng.chance(0.35) ? '22' : pickEthnicity(rng);
      const flagList: DemoFlag[] = [...flags].map((flag) => ({
        flag,
        source: FLAG_SOURCES[flag],
        recordedOn: randomDate(rng, yearStart, plan.today < yearStart ? yearStart : plan.today),
        note: flag === 'disabled' ? `持残疾人证（${rng.pick(DISABILITY)}${rng.pick(LEVELS)}）` : null,
      }));

      yield {
        index: index++,
        schoolIndex: cls.schoolIndex,
        classIndex: cls.index,
        studentNo: 'G' + idNumber,
        idNumber,
        name,
        sex,
        birthDate,
        ethnicity,
        address,
        guardians,
        flags: flagList,
      };
    }
  }
}

export function generateCounty(opts: DemoOptions): DemoCounty {
  const plan = planCounty(opts);
  return { ...plan, students: [...generateStudents(plan)] };
}
