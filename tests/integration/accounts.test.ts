// Account management: create with a one-time password, forced change on first login,
// role/school/teacher consistency, disable ends sessions at once, reset, all audited.
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import { describeOnBackends } from '../helpers/db.js';
import { Agent, loginAgent, testApp, type TestApp } from '../helpers/http.js';
import { seedCounty } from '../helpers/seed.js';

describeOnBackends(
  'accounts API',
  (getCtx, _kind, getSeed) => {
    let app: TestApp;
    let admin: Agent;
    let principal: Agent;

    beforeAll(async () => {
      app = await testApp(getCtx());
      admin = await loginAgent(app, getSeed().users.bureau_admin);
      principal = await loginAgent(app, getSeed().users.principal);
    });

    it('creates an account with a one-time password that must be changed at first login', async () => {
      const seed = getSeed();
      const res = await principal.post('/api/accounts', { username: 'wangfang2', displayName: '王芳', role: 'teacher', schoolId: seed.schools.a.id, teacherId: seed.teachers.wangFang.id });
      expect(res.status).toBe(200);
      expect(res.body.initialPassword).toMatch(/^[A-Za-z]{6}\d{4}$/);

      const fresh = new Agent(app);
      expect((await fresh.login('wangfang2', res.body.initialPassword)).status).toBe(200);
      const blocked = await fresh.get('/api/students');
      expect(blocked.status).toBe(403);
      expect(blocked.body.code).toBe('PASSWORD_CHANGE_REQUIRED');
      const weak = await fresh.post('/api/auth/password', { currentPassword: res.body.initialPassword, newPassword: '12345678' });
      expect(weak.status).toBe(400);
      expect(weak.body.message).toBe('密码须同时包含字母和数字');
      expect((await fresh.post('/api/auth/password', { currentPassword: res.body.initialPassword, newPassword: 'Xuexiao-2026' })).status).toBe(200);
      expect((await fresh.get('/api/students')).status).toBe(200);
    });

    it('refuses duplicate usernames regardless of case, and inconsistent role/school/teacher', async () => {
      const seed = getSeed();
      expect((await admin.post('/api/accounts', { username: 'Bureau.Admin', displayName: 'x', role: 'bureau_staff' })).status).toBe(409);
      const noSchool = await admin.post('/api/accounts', { username: 'noschool', displayName: 'x', role: 'principal' });
      expect(noSchool.status).toBe(400);
      expect(noSchool.body.message).toContain('须指定学校');
      const wrongTeacher = await admin.post('/api/accounts', { username: 'wrongteacher', displayName: 'x', role: 'teacher', schoolId: seed.schools.a.id, teacherId: seed.teachers.zhaoGang.id });
      expect(wrongTeacher.status).toBe(400);
      expect(wrongTeacher.body.message).toBe('所选教师不属于该学校');
      const bureauWithSchool = await admin.post('/api/accounts', { username: 'bureauschool', displayName: 'x', role: 'inspector', schoolId: seed.schools.a.id });
      expect(bureauWithSchool.status).toBe(400);
      const badName = await admin.post('/api/accounts', { username: '张三', displayName: 'x', role: 'inspector' });
      expect(badName.status).toBe(400);
    });

    it('disabling an account ends its open sessions at once and refuses new logins', async () => {
      const seed = getSeed();
      const victim = await loginAgent(app, seed.users.academic_office);
      expect((await victim.get('/api/me')).status).toBe(200);
      const res = await admin.patch(`/api/accounts/${seed.users.academic_office.id}`, { disabled: true });
      expect(res.status).toBe(200);
      expect(res.body.disabled).toBe(true);
      expect((await victim.get('/api/me')).status).toBe(401);
      const again = await new Agent(app).login(seed.users.academic_office.username, seed.users.academic_office.password);
      expect(again.status).toBe(403);
      expect(again.body.message).toContain('停用');
      await admin.patch(`/api/accounts/${seed.users.academic_office.id}`, { disabled: false });
      expect((await new Agent(app).login(seed.users.academic_office.username, seed.users.academic_office.password)).status).toBe(200);
    });

    it('an administrator cannot disable or demote themselves', async () => {
      const seed = getSeed();
      expect((await admin.patch(`/api/accounts/${seed.users.bureau_admin.id}`, { disabled: true })).status).toBe(400);
      expect((await admin.patch(`/api/accounts/${seed.users.bureau_admin.id}`, { role: 'inspector' })).status).toBe(400);
    });

    it('reset gives a new one-time password, ends sessions, and is audited with before/after', async () => {
      const ctx = getCtx();
      const seed = getSeed();
      const victim = await loginAgent(app, seed.users.counsellor);
      const res = await principal.post(`/api/accounts/${seed.users.counsellor.id}/reset-password`);
      expect(res.status).toBe(200);
      expect((await victim.get('/api/me')).status).toBe(401);
      const fresh = new Agent(app);
      expect((await fresh.login(seed.users.counsellor.username, res.body.initialPassword)).status).toBe(200);
      expect((await fresh.get('/api/me')).body.mustChangePassword).toBe(true);

      const log = await rows<{ action: string; actor_name: string }>(ctx.db, sql`SELECT action, actor_name FROM audit_log
        WHERE entity_type = 'user' AND entity_id = ${String(seed.users.counsellor.id)} AND action LIKE 'account.%' ORDER BY id`);
      expect(log.map((l) => l.action)).toContain('account.password_reset');
      const upd = await rows<{ before: { disabled: boolean }; after: { disabled: boolean } }>(ctx.db, sql`SELECT before, after FROM audit_log
        WHERE action = 'account.disabled' AND entity_id = ${String(seed.users.academic_office.id)}`);
      expect(upd[0]).toMatchObject({ before: { disabled: false }, after: { disabled: true } });
    });
  },
  seedCounty,
);
