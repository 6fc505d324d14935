import { describe, expect, it } from 'vitest';
import { generateCounty, planCounty, type DemoCounty } from '../../../src/modules/demo/generator.js';
import { Rng } from '../../../src/modules/demo/prng.js';
import { parseIdNumber } from '../../../src/shared/id-number.js';
import { ETHNICITIES, FAMILY_FLAGS, GRADES_BY_KIND, SCHOOL_KINDS, SUBJECTS, TEACHER_TITLES, BACKBONE_LEVELS } from '../../../src/shared/registry.js';
import { ROLES } from '../../../src/shared/roles.js';

const TODAY = new Date(2026, 10, 23, 10, 0, 0); // 2026-11-23 local: school year 2026-2027
const county = generateCounty({ today: TODAY }); // the default: 25,000 students, seed 1

const share = (c: DemoCounty, pred: (s: DemoCounty['students'][number]) => boolean) => c.students.filter(pred).length / c.students.length;
const hasFlag = (flag: string) => (s: DemoCounty['students'][number]) => s.flags.some((f) => f.flag === flag);

describe('prng', () => {
  it('repeats a stream for the same label and differs for another', () => {
    const a = new Rng('x'), b = new Rng('x'), c = new Rng('y');
    const draw = (r: Rng) => Array.from({ length: 20 }, () => r.next());
    const da = draw(a);
    expect(draw(b)).toEqual(da);
    expect(draw(c)).not.toEqual(da);
    for (const x of da) expect(x >= 0 && x < 1).toBe(true);
  });
});

describe('demo county generator', () => {
  it('is deterministic: the same options give byte-identical output, another seed differs', () => {
    const a = JSON.stringify(generateCounty({ students: 3000, seed: 42, today: TODAY }));
    const b = JSON.stringify(generateCounty({ students: 3000, seed: 42, today: TODAY }));
    const c = JSON.stringify(generateCounty({ students: 3000, seed: 43, today: TODAY }));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    // the default is seed 1
    expect(JSON.stringify(generateCounty({ students: 3000, today: TODAY }))).toBe(JSON.stringify(generateCounty({ students: 3000, seed: 1, today: TODAY })));
  });

  it('has exactly the requested number of students, about 30 schools and 1,500 teachers by default', () => {
    expect(county.students).toHaveLength(25_000);
    expect(county.classes.reduce((a, c) => a + c.size, 0)).toBe(25_000);
    expect(county.schools.length).toBeGreaterThanOrEqual(25);
    expect(county.schools.length).toBeLessThanOrEqual(35);
    expect(county.teachers.length).toBeGreaterThan(1300);
    expect(county.teachers.length).toBeLessThan(1800);
    expect(county.schoolYear).toBe('2026-2027');
  });

  it('scales down and up, keeping a few schools of different kinds', () => {
    const small = planCounty({ students: 2000, today: TODAY });
    expect(small.schools.length).toBeGreaterThanOrEqual(4);
    expect(small.schools.length).toBeLessThan(15);
    expect(new Set(small.schools.map((s) => s.kind)).size).toBeGreaterThanOrEqual(3);
    expect(small.classes.reduce((a, c) => a + c.size, 0)).toBe(2000);
    const tiny = planCounty({ students: 50, today: TODAY });
    expect(tiny.schools.length).toBe(4);
    expect(tiny.classes.reduce((a, c) => a + c.size, 0)).toBe(50);
    const big = planCounty({ students: 100_000, today: TODAY });
    expect(big.schools.length).toBeGreaterThan(county.schools.length);
    expect(big.teachers.length).toBeGreaterThan(county.teachers.length * 3);
  });

  it('has every kind of school, every location and the 薄弱/山区/寄宿制 flags', () => {
    for (const kind of SCHOOL_KINDS) expect(county.schools.some((s) => s.kind === kind), kind).toBe(true);
    for (const loc of ['城区', '镇区', '乡村']) expect(county.schools.some((s) => s.locationType === loc), loc).toBe(true);
    for (const flag of ['薄弱学校', '山区学校', '寄宿制']) expect(county.schools.some((s) => s.flags.includes(flag)), flag).toBe(true);
    const codes = county.schools.map((s) => s.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^3\d{9}$/);
    expect(county.schools.map((s) => s.name)).toEqual(expect.arrayContaining(['示范县第一小学', '城关镇中心小学', '石门乡中心小学', '石门乡坳上教学点', '示范县第二中学', '白沙九年一贯制学校']));
  });

  it('sizes classes by location and gives each school only its own grades', () => {
    for (const c of county.classes) {
      const school = county.schools[c.schoolIndex]!;
      expect(GRADES_BY_KIND[school.kind]).toContain(c.grade);
      if (school.kind === '教学点') expect(c.size, c.name).toBeLessThanOrEqual(10);
      else if (school.locationType === '城区') {
        expect(c.size).toBeGreaterThanOrEqual(40);
        expect(c.size).toBeLessThanOrEqual(58);
      } else if (school.locationType === '乡村' && c.grade <= 6) expect(c.size).toBeLessThanOrEqual(30);
    }
  });

  it('gives every student a valid ID whose birth date and sex match, a 学籍号 of G + ID, an age fitting the grade', () => {
    const ids = new Set<string>();
    for (const s of county.students) {
      const parsed = parseIdNumber(s.idNumber, TODAY);
      expect(parsed.ok, s.idNumber).toBe(true);
      if (!parsed.ok) continue;
      expect(parsed.value.birthDate).toBe(s.birthDate);
      expect(parsed.value.sex).toBe(s.sex);
      expect(s.studentNo).toBe('G' + s.idNumber);
      ids.add(s.idNumber);
      // age on 1 September 2026: grade + 5, or one more for the few who started late or repeated
      const grade = county.classes[s.classIndex]!.grade;
      const [y, m] = s.birthDate.split('-').map(Number) as [number, number];
      const age = 2026 - y - (m >= 9 ? 1 : 0);
      expect([grade + 5, grade + 6], `${s.name} ${s.birthDate} grade ${grade}`).toContain(age);
      expect(ETHNICITIES[s.ethnicity]).toBeDefined();
      expect(s.guardians.length).toBeGreaterThanOrEqual(1);
      expect(s.guardians.length).toBeLessThanOrEqual(2);
      for (const g of s.guardians) expect(g.phone).toMatch(/^1[3-9]\d{9}$/);
      expect(s.address.startsWith('示范县')).toBe(true);
    }
    expect(ids.size).toBe(county.students.length);
    // most children were born in the county; some elsewhere
    const local = share(county, (s) => s.idNumber.startsWith('360428'));
    expect(local).toBeGreaterThan(0.8);
    expect(local).toBeLessThan(0.97);
    expect(share(county, (s) => s.ethnicity === '01')).toBeGreaterThan(0.95);
    expect(share(county, (s) => s.ethnicity !== '01')).toBeGreaterThan(0);
  }, 60_000); // 25,000 IDs parsed: seconds on a busy machine

  it('gives teachers valid IDs consistent with their age and years of service, and registry values', () => {
    for (const t of county.teachers) {
      const parsed = parseIdNumber(t.idNumber, TODAY);
      expect(parsed.ok).toBe(true);
      if (parsed.ok) {
        expect(parsed.value.birthDate).toBe(t.birthDate);
        expect(parsed.value.sex).toBe(t.sex);
      }
      const age = 2026 - Number(t.birthDate.slice(0, 4));
      expect(age - t.yearsOfService).toBeGreaterThanOrEqual(20);
      expect(age).toBeLessThanOrEqual(62);
      expect(t.yearsOfService).toBeGreaterThanOrEqual(0);
      expect(t.yearsOfService).toBeLessThanOrEqual(35);
      for (const s of t.subjects) expect(SUBJECTS as readonly string[]).toContain(s);
      expect(TEACHER_TITLES as readonly string[]).toContain(t.title);
      expect(BACKBONE_LEVELS as readonly string[]).toContain(t.backboneLevel);
      expect(t.phone).toMatch(/^1[3-9]\d{9}$/);
    }
    const young = county.teachers.filter((t) => t.yearsOfService <= 3).length / county.teachers.length;
    expect(young).toBeGreaterThan(0.08);
    expect(young).toBeLessThan(0.3);
    const plain = county.teachers.filter((t) => t.backboneLevel === '无').length / county.teachers.length;
    expect(plain).toBeGreaterThan(0.7);
  });

  it('staffs every class: a head teacher of the same school, 语文 and 数学 teachers; each teacher takes 1–4 classes', () => {
    const classesOf = new Map<number, Set<number>>();
    const subjectsOfClass = new Map<number, Set<string>>();
    for (const a of county.assignments) {
      if (!classesOf.has(a.teacherIndex)) classesOf.set(a.teacherIndex, new Set());
      classesOf.get(a.teacherIndex)!.add(a.classIndex);
      if (!subjectsOfClass.has(a.classIndex)) subjectsOfClass.set(a.classIndex, new Set());
      subjectsOfClass.get(a.classIndex)!.add(a.subject);
      expect(county.teachers[a.teacherIndex]!.schoolIndex).toBe(county.classes[a.classIndex]!.schoolIndex);
      expect(county.teachers[a.teacherIndex]!.subjects).toContain(a.subject);
    }
    for (const c of county.classes) {
      const head = county.teachers[c.headTeacherIndex];
      expect(head, c.name).toBeDefined();
      expect(head!.schoolIndex).toBe(c.schoolIndex);
      expect(subjectsOfClass.get(c.index)).toEqual(expect.objectContaining({}));
      expect([...subjectsOfClass.get(c.index)!]).toEqual(expect.arrayContaining(['语文', '数学']));
      if (c.grade >= 3) expect([...subjectsOfClass.get(c.index)!]).toContain('英语');
    }
    for (const t of county.teachers) {
      const n = classesOf.get(t.index)?.size ?? 0;
      expect(n, `${t.name} ${t.subjects.join('/')}`).toBeGreaterThanOrEqual(1);
      expect(n).toBeLessThanOrEqual(4);
    }
    // outside the 教学点 nobody heads two classes
    const heads = county.classes.filter((c) => county.schools[c.schoolIndex]!.kind !== '教学点').map((c) => c.headTeacherIndex);
    expect(new Set(heads).size).toBe(heads.length);
  });

  it('has one principal per school and leaders marked is_leader', () => {
    for (const s of county.schools) {
      const staff = county.teachers.filter((t) => t.schoolIndex === s.index);
      const principals = staff.filter((t) => t.position === (s.kind === '教学点' ? '教学点负责人' : '校长'));
      expect(principals, s.name).toHaveLength(1);
      expect(principals[0]!.isLeader).toBe(true);
    }
    expect(county.teachers.some((t) => t.position === '教导主任' && t.isLeader)).toBe(true);
    expect(county.teachers.some((t) => t.position === '副校长' && t.isLeader)).toBe(true);
  });

  it('has family situations in realistic proportions, more in villages', () => {
    const bounds: Record<string, [number, number]> = {
      poverty_registered: [0.02, 0.045],
      poverty_monitored: [0.002, 0.012],
      dibao: [0.012, 0.04],
      tekun: [0.001, 0.006],
      orphan: [0.0005, 0.004],
      unattended: [0.001, 0.005],
      disabled: [0.004, 0.014],
      single_parent: [0.02, 0.05],
      left_behind: [0.045, 0.09],
      migrant: [0.04, 0.1],
    };
    for (const flag of Object.keys(FAMILY_FLAGS)) {
      const p = share(county, hasFlag(flag));
      expect(p, flag).toBeGreaterThanOrEqual(bounds[flag]![0]);
      expect(p, flag).toBeLessThanOrEqual(bounds[flag]![1]);
    }
    const at = (loc: string) => ({ ...county, students: county.students.filter((s) => county.schools[s.schoolIndex]!.locationType === loc) });
    const ruralLeft = share(at('乡村'), hasFlag('left_behind'));
    const urbanLeft = share(at('城区'), hasFlag('left_behind'));
    expect(ruralLeft).toBeGreaterThan(0.09);
    expect(ruralLeft).toBeLessThan(0.17);
    expect(urbanLeft).toBeGreaterThan(0.02);
    expect(urbanLeft).toBeLessThan(0.06);
    expect(share(at('城区'), hasFlag('migrant'))).toBeGreaterThan(0.07);
    expect(share(at('乡村'), hasFlag('poverty_registered'))).toBeGreaterThan(share(at('城区'), hasFlag('poverty_registered')) * 2);
    // flags overlap as they do in life, but never contradict
    expect(county.students.some((s) => hasFlag('poverty_registered')(s) && hasFlag('dibao')(s))).toBe(true);
    for (const s of county.students) {
      expect(hasFlag('migrant')(s) && hasFlag('left_behind')(s)).toBe(false);
      expect((hasFlag('orphan')(s) || hasFlag('unattended')(s)) && hasFlag('single_parent')(s)).toBe(false);
      if (hasFlag('left_behind')(s)) expect(s.guardians[0]!.relation).toMatch(/祖/);
      for (const f of s.flags) expect(f.recordedOn >= '2026-09-01' && f.recordedOn <= '2026-11-23').toBe(true);
    }
  });

  it('plans one login per role, tied to real staff of the demo school', () => {
    expect(county.accounts.map((a) => a.role).sort()).toEqual([...ROLES].sort());
    expect(county.accounts.find((a) => a.role === 'bureau_admin')!.username).toBe('admin');
    const school = county.demoSchoolIndex;
    const byRole = Object.fromEntries(county.accounts.map((a) => [a.role, a]));
    const head = byRole.head_teacher!;
    expect(head.schoolIndex).toBe(school);
    expect(county.classes.some((c) => c.headTeacherIndex === head.teacherIndex && c.schoolIndex === school)).toBe(true);
    const teacher = byRole.teacher!;
    expect(county.assignments.some((a) => a.teacherIndex === teacher.teacherIndex)).toBe(true);
    expect(county.teachers[byRole.counsellor!.teacherIndex!]!.subjects[0]).toBe('心理健康');
    expect(county.teachers[byRole.principal!.teacherIndex!]!.position).toBe('校长');
  });
});
