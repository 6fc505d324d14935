// Schools and teachers: lists with counts, details with this year's classes, search.
import { beforeAll, expect, it } from 'vitest';
import { describeOnBackends } from '../helpers/db.js';
import { loginAgent, testApp, type Agent } from '../helpers/http.js';
import { seedCounty } from '../helpers/seed.js';

describeOnBackends(
  'schools and teachers API',
  (getCtx, _kind, getSeed) => {
    let admin: Agent;
    beforeAll(async () => {
      admin = await loginAgent(await testApp(getCtx()), getSeed().users.bureau_admin);
    });

    it('lists schools with class, teacher and student counts, searchable by name, pinyin and code', async () => {
      const seed = getSeed();
      const res = await admin.get('/api/schools');
      const a = res.body.items.find((s: { code: string }) => s.code === seed.schools.a.code);
      expect(a).toMatchObject({ name: '城关第一小学', classCount: 2, teacherCount: 3, studentCount: 6, locationType: '城区' });
      for (const q of ['城关', 'cgdyxx', 'chengguan', seed.schools.a.code]) {
        const found = await admin.get(`/api/schools?q=${encodeURIComponent(q)}`);
        expect(found.body.items.map((s: { id: number }) => s.id), q).toEqual([seed.schools.a.id]);
      }
      const rural = await admin.get(`/api/schools?locationType=${encodeURIComponent('乡村')}`);
      expect(rural.body.items.map((s: { id: number }) => s.id)).toEqual([seed.schools.b.id]);
    });

    it('shows a school with its classes, head teachers and class sizes', async () => {
      const seed = getSeed();
      const res = await admin.get(`/api/schools/${seed.schools.a.id}`);
      expect(res.status).toBe(200);
      expect(res.body.schoolYear).toBe(seed.schoolYear);
      expect(res.body.classes).toEqual([
        { id: seed.classes.a1.id, grade: 7, classNo: 1, name: '七年级(1)班', headTeacher: { id: seed.teachers.liMing.id, name: '李明' }, studentCount: 3 },
        { id: seed.classes.a2.id, grade: 7, classNo: 2, name: '七年级(2)班', headTeacher: { id: seed.teachers.chenJing.id, name: '陈静' }, studentCount: 3 },
      ]);
      expect((await admin.get('/api/schools/999999')).status).toBe(404);
    });

    it('shows a teacher with the classes taught and headed, ID masked', async () => {
      const seed = getSeed();
      const res = await admin.get(`/api/teachers/${seed.teachers.wangFang.id}`);
      expect(res.status).toBe(200);
      expect(res.body.classes).toEqual([
        { classId: seed.classes.a1.id, className: '七年级(1)班', subject: '语文' },
        { classId: seed.classes.a2.id, className: '七年级(2)班', subject: '数学' },
      ]);
      expect(res.body.headOf).toEqual([]);
      expect(res.body.idNumberMasked).toMatch(/^360428\*{8}\d{3}[\dX]$/);
      const li = await admin.get(`/api/teachers/${seed.teachers.liMing.id}`);
      expect(li.body.headOf).toEqual([{ classId: seed.classes.a1.id, className: '七年级(1)班' }]);
    });

    it('filters teachers by subject and finds them by initials', async () => {
      const seed = getSeed();
      const math = await admin.get(`/api/teachers?subject=${encodeURIComponent('数学')}&pageSize=200`);
      expect(math.body.items.map((t: { name: string }) => t.name).sort()).toEqual(['李明', '王芳', '赵刚'].sort());
      const wf = await admin.get('/api/teachers?q=wf');
      expect(wf.body.items.map((t: { id: number }) => t.id)).toEqual([seed.teachers.wangFang.id]);
    });

    it('the dashboard counts family situations only in aggregate', async () => {
      const res = await admin.get('/api/dashboard');
      expect(res.body).toMatchObject({ schools: 2, classes: 3, teachers: 4, students: 9 });
      expect(res.body.studentsByGrade).toEqual([{ grade: 7, n: 9 }]);
    });
  },
  seedCounty,
);
