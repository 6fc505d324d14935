// Every role × every endpoint × an object inside and outside its scope: nothing leaks.
// The expected visibility is written out here from the seed (tests/helpers/seed.ts),
// independently of src/modules/scope, so a mistake in the scope compiler shows up.
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeOnBackends } from '../helpers/db.js';
import { loginAgent, testApp, type Agent } from '../helpers/http.js';
import { seedCounty, type Seed, type SeedUserKey } from '../helpers/seed.js';
import type { Role } from '../../src/shared/roles.js';

type Expectation = {
  schools: (s: Seed) => number[];
  teachers: (s: Seed) => number[];
  students: (s: Seed) => number[];
  /** may reveal masked fields of visible students */
  reveal: boolean;
  accounts: 'all' | 'school' | 'none';
  audit: 'all' | 'school' | 'none';
};

const allSchools = (s: Seed) => [s.schools.a.id, s.schools.b.id];
const schoolA = (s: Seed) => [s.schools.a.id];
const allTeachers = (s: Seed) => Object.values(s.teachers).map((t) => t.id);
const teachersA = (s: Seed) => Object.values(s.teachers).filter((t) => t.schoolId === s.schools.a.id).map((t) => t.id);
const allStudents = (s: Seed) => s.students.map((x) => x.id);
const studentsA = (s: Seed) => s.students.filter((x) => x.schoolId === s.schools.a.id).map((x) => x.id);
const studentsOf = (...classes: ('a1' | 'a2' | 'b1')[]) => (s: Seed) =>
  classes.flatMap((c) => s.studentsOf(s.classes[c]).map((x) => x.id));

const MATRIX: Record<SeedUserKey, Expectation> = {
  bureau_admin: { schools: allSchools, teachers: allTeachers, students: allStudents, reveal: true, accounts: 'all', audit: 'all' },
  bureau_staff: { schools: allSchools, teachers: allTeachers, students: allStudents, reveal: true, accounts: 'none', audit: 'none' },
  inspector: { schools: allSchools, teachers: allTeachers, students: allStudents, reveal: false, accounts: 'none', audit: 'all' },
  principal: { schools: schoolA, teachers: teachersA, students: studentsA, reveal: true, accounts: 'school', audit: 'school' },
  academic_office: { schools: schoolA, teachers: teachersA, students: studentsA, reveal: true, accounts: 'none', audit: 'none' },
  counsellor: { schools: schoolA, teachers: teachersA, students: studentsA, reveal: true, accounts: 'none', audit: 'none' },
  // 李明 heads A1 (and teaches A1): only A1
  head_teacher: { schools: schoolA, teachers: teachersA, students: studentsOf('a1'), reveal: true, accounts: 'none', audit: 'none' },
  // 王芳 teaches A1 语文 and A2 数学
  teacher: { schools: schoolA, teachers: teachersA, students: studentsOf('a1', 'a2'), reveal: false, accounts: 'none', audit: 'none' },
  principal_b: {
    schools: (s) => [s.schools.b.id],
    teachers: (s) => [s.teachers.zhaoGang.id],
    students: studentsOf('b1'),
    reveal: true,
    accounts: 'school',
    audit: 'school',
  },
};

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

describeOnBackends(
  'permission matrix',
  (getCtx, _kind, getSeed) => {
    const agents = {} as Record<SeedUserKey, Agent>;
    let grants: Promise<void> | undefined;

    beforeAll(async () => {
      const app = await testApp(getCtx());
      const seed = getSeed();
      for (const key of Object.keys(MATRIX) as SeedUserKey[]) agents[key] = await loginAgent(app, seed.users[key]);
    });

    for (const [key, exp] of Object.entries(MATRIX) as [SeedUserKey, Expectation][]) {
      describe(key, () => {
        it('school list and details: exactly the schools in scope', async () => {
          const seed = getSeed();
          const list = await agents[key].get('/api/schools?pageSize=200');
          expect(list.status).toBe(200);
          expect(sorted(list.body.items.map((i: { id: number }) => i.id))).toEqual(sorted(exp.schools(seed)));
          for (const id of allSchools(seed)) {
            const res = await agents[key].get(`/api/schools/${id}`);
            expect(res.status, `school ${id}`).toBe(exp.schools(seed).includes(id) ? 200 : 404);
            if (res.status !== 200) expect(JSON.stringify(res.body)).not.toContain(id === seed.schools.a.id ? seed.schools.a.name : seed.schools.b.name);
          }
        });

        it('teacher list and details: exactly the teachers in scope', async () => {
          const seed = getSeed();
          const list = await agents[key].get('/api/teachers?pageSize=200');
          expect(list.status).toBe(200);
          expect(sorted(list.body.items.map((i: { id: number }) => i.id))).toEqual(sorted(exp.teachers(seed)));
          for (const id of allTeachers(seed)) {
            const res = await agents[key].get(`/api/teachers/${id}`);
            expect(res.status, `teacher ${id}`).toBe(exp.teachers(seed).includes(id) ? 200 : 404);
          }
        });

        it('student list, search and details: exactly the students in scope, never the record outside', async () => {
          const seed = getSeed();
          const visible = exp.students(seed);
          const list = await agents[key].get('/api/students?pageSize=200');
          expect(list.status).toBe(200);
          expect(sorted(list.body.items.map((i: { id: number }) => i.id))).toEqual(sorted(visible));
          expect(list.body.total).toBe(visible.length);
          for (const st of seed.students) {
            const inside = visible.includes(st.id);
            const res = await agents[key].get(`/api/students/${st.id}`);
            expect(res.status, `student ${st.name}`).toBe(inside ? 200 : 404);
            if (!inside) expect(JSON.stringify(res.body)).not.toContain(st.name);
            // searching by name, initials or the exact ID number finds nothing outside scope either
            for (const q of [st.name, st.initials, st.idNumber]) {
              const found = await agents[key].get(`/api/students?q=${encodeURIComponent(q)}&pageSize=200`);
              const ids = found.body.items.map((i: { id: number }) => i.id);
              expect(ids.includes(st.id), `search ${q} as ${key}`).toBe(inside);
              expect(ids.every((id: number) => visible.includes(id))).toBe(true);
            }
          }
        });

        it('reveal of masked fields: allowed roles inside scope only', async () => {
          const seed = getSeed();
          const visible = exp.students(seed);
          for (const st of [seed.students.find((x) => visible.includes(x.id)), seed.students.find((x) => !visible.includes(x.id))]) {
            if (!st) continue;
            const res = await agents[key].post(`/api/students/${st.id}/reveal`, { field: 'idNumber', reason: '核对学籍信息' });
            const inside = visible.includes(st.id);
            const expected = !exp.reveal ? 403 : inside ? 200 : 404;
            expect(res.status, `reveal ${st.name}`).toBe(expected);
            if (res.status === 200) expect(res.body.idNumber).toBe(st.idNumber);
            else expect(JSON.stringify(res.body)).not.toContain(st.idNumber);
          }
        });

        it('aid (资助): seen with the student (404 outside); the rows only for roles that may reveal the family situation', async () => {
          const seed = getSeed();
          const visible = exp.students(seed);
          grants ??= (async () => {
            for (const st of seed.students) {
              await getCtx().db.execute(sql`INSERT INTO aid_grants (student_id, school_id, school_year, item_key, amount_fen, granted_on, source, method)
                VALUES (${st.id}, ${st.schoolId}, ${seed.schoolYear}, 'donation', ${10000 + st.id}, ${`${seed.schoolYear.slice(0, 4)}-09-01`}, 'social', 'cash')`);
            }
          })();
          await grants;
          for (const st of seed.students) {
            const res = await agents[key].get(`/api/support/aid?studentId=${st.id}`);
            const inside = visible.includes(st.id);
            expect(res.status, `aid of ${st.name}`).toBe(inside ? 200 : 404);
            if (!inside) continue;
            expect(res.body.masked).toBe(!exp.reveal);
            expect(res.body.items.map((g: { amountFen: number }) => g.amountFen)).toEqual(exp.reveal ? [10000 + st.id] : []);
          }
          const all = await agents[key].get('/api/support/aid?pageSize=200');
          expect(sorted(all.body.items.map((g: { studentId: number }) => g.studentId))).toEqual(exp.reveal ? sorted(visible) : []);
        });

        it('dashboard counts only what is in scope', async () => {
          const seed = getSeed();
          const res = await agents[key].get('/api/dashboard');
          expect(res.status).toBe(200);
          expect(res.body.schools).toBe(exp.schools(seed).length);
          expect(res.body.teachers).toBe(exp.teachers(seed).length);
          expect(res.body.students).toBe(exp.students(seed).length);
        });

        it('accounts: administrators only, principals only their school', async () => {
          const seed = getSeed();
          const res = await agents[key].get('/api/accounts?pageSize=200');
          if (exp.accounts === 'none') {
            expect(res.status).toBe(403);
            const create = await agents[key].post('/api/accounts', { username: `x${key.replace(/_/g, '')}`, displayName: 'x', role: 'teacher', schoolId: seed.schools.a.id, teacherId: seed.teachers.liMing.id });
            expect(create.status).toBe(403);
            return;
          }
          expect(res.status).toBe(200);
          const schoolIds = new Set(res.body.items.map((i: { schoolId: number | null }) => i.schoolId));
          if (exp.accounts === 'school') {
            const own = seed.users[key].schoolId;
            expect([...schoolIds]).toEqual([own]);
            // a principal cannot create an account in another school, nor a bureau role
            const other = own === seed.schools.a.id ? seed.schools.b : seed.schools.a;
            const otherTeacher = own === seed.schools.a.id ? seed.teachers.zhaoGang : seed.teachers.liMing;
            expect((await agents[key].post('/api/accounts', { username: `y${key.replace(/_/g, '')}`, displayName: 'y', role: 'teacher', schoolId: other.id, teacherId: otherTeacher.id })).status).toBe(403);
            expect((await agents[key].post('/api/accounts', { username: `z${key.replace(/_/g, '')}`, displayName: 'z', role: 'bureau_staff' })).status).toBe(403);
            // nor touch an account of another school
            const foreign = Object.values(seed.users).find((u) => u.schoolId != null && u.schoolId !== own)!;
            expect((await agents[key].patch(`/api/accounts/${foreign.id}`, { disabled: true })).status).toBe(404);
            expect((await agents[key].post(`/api/accounts/${foreign.id}/reset-password`)).status).toBe(404);
          } else {
            expect(schoolIds.has(null)).toBe(true);
            expect(schoolIds.has(seed.schools.a.id) && schoolIds.has(seed.schools.b.id)).toBe(true);
          }
        });

        it('audit log: readers only, principals only their school', async () => {
          const seed = getSeed();
          const res = await agents[key].get('/api/audit?pageSize=200');
          if (exp.audit === 'none') {
            expect(res.status).toBe(403);
            return;
          }
          expect(res.status).toBe(200);
          expect(res.body.total).toBeGreaterThan(0);
          if (exp.audit === 'school') {
            const own = seed.users[key].schoolId;
            expect(res.body.items.every((i: { schoolId: number | null }) => i.schoolId === own)).toBe(true);
          }
        });
      });
    }

    it('an inspector is read-only: no state-changing endpoint accepts it', async () => {
      const seed = getSeed();
      const a = agents.inspector;
      expect((await a.post('/api/accounts', { username: 'inspectmade', displayName: 'x', role: 'bureau_staff' })).status).toBe(403);
      expect((await a.post(`/api/students/${seed.students[0]!.id}/reveal`, { field: 'idNumber', reason: '检查' })).status).toBe(403);
    });

    it('an inspector is refused by every state-changing endpoint of the API (its own log-out and password excepted), before any other check', async () => {
      const a = agents.inspector;
      const doc = (await a.get('/api/docs/json')).body as { paths: Record<string, Record<string, unknown>> };
      const allowed = new Set(['post /api/auth/logout', 'post /api/auth/password']);
      const publicRoutes = new Set(['post /api/auth/login', 'post /api/setup', 'post /api/setup/demo']);
      let checked = 0;
      for (const [p, ops] of Object.entries(doc.paths)) {
        for (const method of Object.keys(ops)) {
          if (['get', 'head', 'options'].includes(method)) continue;
          const key = `${method} ${p}`;
          if (allowed.has(key) || publicRoutes.has(key)) continue;
          const url = p.replace(/\{[^}]+\}/g, '1');
          const res = await a.request(method.toUpperCase() as 'POST', url, {});
          expect(res.status, key).toBe(403);
          expect(res.body.code, key).toBe('READ_ONLY');
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(30);
    });

    it('roles are the full list', () => {
      const roles: Role[] = ['bureau_admin', 'bureau_staff', 'inspector', 'principal', 'academic_office', 'head_teacher', 'teacher', 'counsellor'];
      for (const r of roles) expect(Object.keys(MATRIX)).toContain(r);
    });
  },
  seedCounty,
);
