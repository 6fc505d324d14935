// Support cases (帮扶对象) end to end on the seeded county: cases from an exam's confirmed 后20%
// candidates and from family flags (idempotent), the status flow with its append-only history,
// the assignment checks, suggestion and acceptance (師生结对 pairings in the general engine),
// records with the five dimensions and the student's side (cross-check), the psychological note
// (counsellor and responsible teacher only, every view audited), scope between schools, the monthly
// check, the yearly refresh, and the coverage / compliance reports (API = CLI).
//
// Seed (tests/helpers/seed.ts): school A — A1 (head 李明; 数学 李明, 语文 王芳), A2 (head 陈静;
// 数学 王芳); school B — B1 (赵刚). Students A1: s0 张伟, s1 刘洋, s2 曾小红; A2: s3 黄磊, s4 周敏,
// s5 吴婷; B1: s6 孙浩, s7 马丽, s8 朱强. 李明 is made a school leader (is_leader) here.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { one, rows } from '../../src/db/client.js';
import { complianceReport, coverageReport } from '../../src/modules/support/support-report.cli.js';
import { dbErrorOf, describeOnBackends } from '../helpers/db.js';
import { testApp, type Agent, loginSeedUsers } from '../helpers/http.js';
import { countOf, seedCounty, type Seed } from '../helpers/seed.js';

const execFileAsync = promisify(execFile);
const PERIOD = '2026-2027-1';

async function insertExam(db: any, seed: Seed, candidates: { student: number; subjects: string[]; status: string }[]) {
  const id = crypto.randomUUID();
  await db.execute(sql`INSERT INTO exams (id, name, school_year, term, kind, scope, grade, subjects, status)
    VALUES (${id}, '七年级期中统考', ${seed.schoolYear}, 1, '期中', 'county', 7, ${JSON.stringify([{ name: '语文', fullMarks: 120, countsToTotal: true }, { name: '数学', fullMarks: 120, countsToTotal: true }])}::jsonb, 'analysed')`);
  for (const c of candidates) {
    const st = seed.students[c.student]!;
    await db.execute(sql`INSERT INTO exam_candidates (exam_id, student_id, class_id, school_id, reason, subjects, status)
      VALUES (${id}, ${st.id}, ${st.classId}, ${st.schoolId}, 'single_subject', ${`{${c.subjects.join(',')}}`}::text[], ${c.status})`);
  }
  return id;
}

describeOnBackends(
  'support cases',
  (getCtx, kind, getSeed) => {
    const as = {} as Record<'admin' | 'principal' | 'office' | 'counsellor' | 'head' | 'teacher' | 'principalB' | 'inspector', Agent>;
    let examId: string;
    const caseOf: Record<number, number> = {}; // seed student index → case id
    const st = (i: number) => getSeed().students[i]!;

    beforeAll(async () => {
      const app = await testApp(getCtx());
      const u = getSeed().users;
      Object.assign(as, await loginSeedUsers(app, u, ['admin', 'principal', 'office', 'counsellor', 'head', 'teacher', 'principalB', 'inspector']));
      const db = getCtx().db;
      await db.execute(sql`UPDATE teachers SET is_leader = true WHERE id = ${getSeed().teachers.liMing.id}`);
      examId = await insertExam(db, getSeed(), [
        { student: 0, subjects: ['数学'], status: 'confirmed' },
        { student: 1, subjects: ['语文'], status: 'proposed' },
        { student: 3, subjects: ['语文'], status: 'confirmed' },
        { student: 6, subjects: ['数学'], status: 'confirmed' },
      ]);
      await db.execute(sql`INSERT INTO family_flags (student_id, flag, source, recorded_on) VALUES
        (${st(0).id}, 'dibao', '民政局', '2026-09-01'), (${st(4).id}, 'left_behind', '学校认定', '2026-09-01'),
        (${st(5).id}, 'orphan', '民政局', '2026-09-01'), (${st(5).id}, 'migrant', '学校认定', '2026-09-01')`);
    });

    const ok = (res: { status: number; body: any }) => {
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    };

    describe('making cases', () => {
      it('cases from the confirmed candidates: only confirmed ones, only the caller\'s school, idempotent', async () => {
        const first = ok(await as.office.post('/api/support/cases/from-exam', { examId }));
        expect(first).toMatchObject({ created: 2, updated: 0, unchanged: 0 });
        const again = ok(await as.office.post('/api/support/cases/from-exam', { examId }));
        expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 2, caseIds: first.caseIds });
        // the bureau sees every school: school B's candidate is added, A's are unchanged
        const bureau = ok(await as.admin.post('/api/support/cases/from-exam', { examId }));
        expect(bureau).toMatchObject({ created: 1, updated: 0, unchanged: 2 });
        const list = ok(await as.admin.get(`/api/support/cases?pageSize=50`));
        expect(list.items.map((c: any) => [c.studentName, c.categories, c.status, c.weakSubjects])).toEqual([
          ['张伟', ['learning'], 'confirmed', ['数学']],
          ['黄磊', ['learning'], 'confirmed', ['语文']],
          ['孙浩', ['learning'], 'confirmed', ['数学']],
        ]);
        for (const c of list.items) caseOf[getSeed().students.findIndex((s) => s.id === c.studentId)] = c.id;
        const detail = ok(await as.office.get(`/api/support/cases/${caseOf[0]}`));
        expect(detail.sources).toEqual([expect.objectContaining({ kind: 'exam', category: 'learning', examId, examName: '七年级期中统考', subjects: ['数学'] })]);
        expect(detail.history.map((h: any) => [h.event, h.from, h.to])).toEqual([['created', null, 'confirmed']]);
        expect(await countOf(getCtx().db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'support.cases_from_exam'`)).toBe(3);
      });

      it('categories from family flags: 贫困生, 特殊家庭, 留守儿童 merged into existing cases, idempotent', async () => {
        const r = ok(await as.office.post('/api/support/cases/from-family-flags', {}));
        expect(r).toMatchObject({ created: 2, updated: 1, unchanged: 0 });
        expect(ok(await as.office.post('/api/support/cases/from-family-flags', {}))).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
        const list = ok(await as.office.get('/api/support/cases'));
        const byName = Object.fromEntries(list.items.map((c: any) => [c.studentName, c]));
        expect(byName['张伟']).toMatchObject({ categories: ['learning', 'poverty'], status: 'confirmed' });
        expect(byName['周敏']).toMatchObject({ categories: ['left_behind'], status: 'identified' });
        expect(byName['吴婷']).toMatchObject({ categories: ['poverty', 'special_family'], status: 'identified' });
        caseOf[4] = byName['周敏'].id;
        caseOf[5] = byName['吴婷'].id;
        const detail = ok(await as.office.get(`/api/support/cases/${caseOf[0]}`));
        expect(detail.history.map((h: any) => [h.event, h.categories])).toEqual([['created', ['learning']], ['categories', ['learning', 'poverty']]]);
        expect(detail.sources.map((s: any) => [s.kind, s.category, s.flag ?? null])).toEqual([['exam', 'learning', null], ['family_flag', 'poverty', 'dibao']]);
      });

      it('by hand: a head teacher identifies a student of the class; a second case in the year is refused', async () => {
        const made = ok(await as.head.post('/api/support/cases', { studentId: st(2).id, categories: ['psychological', 'learning', 'poverty'], note: '情绪低落，成绩下滑' }));
        expect(made).toMatchObject({ status: 'identified', categories: ['learning', 'poverty', 'psychological'], sanKun: true, canEdit: true, canManage: false });
        caseOf[2] = made.id;
        const dup = await as.office.post('/api/support/cases', { studentId: st(2).id, categories: ['behaviour'] });
        expect(dup.status).toBe(409);
        expect(dup.body.details).toEqual({ caseId: made.id });
        // a head teacher cannot make a case for a student outside the class
        expect((await as.head.post('/api/support/cases', { studentId: st(3).id, categories: ['behaviour'] })).status).toBe(404);
        expect((await as.teacher.post('/api/support/cases', { studentId: st(1).id, categories: ['behaviour'] })).status).toBe(403);
      });
    });

    describe('status flow and analysis', () => {
      it('identified → confirmed; active needs a teacher; closing needs a reason; the history is append-only', async () => {
        const id = caseOf[5]!;
        expect((await as.head.post(`/api/support/cases/${id}/transition`, { to: 'confirmed' })).status).toBe(404); // A2 is not 李明's class
        expect((await as.counsellor.post(`/api/support/cases/${id}/transition`, { to: 'confirmed' })).status).toBe(403);
        ok(await as.office.post(`/api/support/cases/${id}/transition`, { to: 'confirmed', note: '教导处核实' }));
        const noTeacher = await as.office.post(`/api/support/cases/${id}/transition`, { to: 'active' });
        expect([noTeacher.status, noTeacher.body.message]).toEqual([400, '请先为该学生分配帮扶教师，再开始帮扶']);
        const bad = await as.office.post(`/api/support/cases/${id}/transition`, { to: 'reviewed' });
        expect([bad.status, bad.body.code]).toEqual([409, 'INVALID_TRANSITION']);
        const noReason = await as.office.post(`/api/support/cases/${caseOf[4]}/transition`, { to: 'closed' });
        expect([noReason.status, noReason.body.message]).toEqual([400, '请选择结案原因']);
        const other = await as.office.post(`/api/support/cases/${caseOf[4]}/transition`, { to: 'closed', closeReason: 'other' });
        expect(other.body.message).toBe('结案原因为“其他”时请填写说明');
        const d = ok(await as.office.get(`/api/support/cases/${id}`));
        expect(d.history.map((h: any) => [h.event, h.from, h.to, h.note])).toEqual([['created', null, 'identified', expect.any(String)], ['status', 'identified', 'confirmed', '教导处核实']]);
        expect(await dbErrorOf(getCtx().db.execute(sql`UPDATE support_case_history SET note = 'x'`))).toMatch(/support_case_history is append-only \(UPDATE refused\)/);
        expect(await dbErrorOf(getCtx().db.execute(sql`DELETE FROM support_case_history`))).toMatch(/append-only \(DELETE refused\)/);
      });

      it('cause analysis: suggested strategies per cause on both lines, or the school\'s own', async () => {
        const s = ok(await as.teacher.get('/api/support/strategies?causes=family,intelligence'));
        expect(s.teaching[0].text).toContain('小步子');
        const d = ok(await as.office.put(`/api/support/cases/${caseOf[0]}/analysis`, { causes: [{ cause: 'family', note: '父母外出务工' }, { cause: 'habits' }] }));
        expect(d.analysis.causes).toEqual([{ cause: 'family', note: '父母外出务工' }, { cause: 'habits' }]);
        expect(d.analysis.strategies.moral[0]).toContain('教师与家长');
        expect(d.analysis.strategies.teaching[0]).toContain('作业辅导');
        expect(d.analysis.strategies.teaching[1]).toContain('学习习惯');
        const own = ok(await as.office.put(`/api/support/cases/${caseOf[0]}/analysis`, { causes: [{ cause: 'family' }], strategies: { teaching: ['每周两次课内面批'], moral: [] } }));
        expect(own.analysis).toMatchObject({ strategies: { teaching: ['每周两次课内面批'], moral: [] }, analysedBy: '城关一小教导处' });
        expect((await as.office.put(`/api/support/cases/${caseOf[0]}/analysis`, { causes: [{ cause: 'family' }, { cause: 'family' }] })).status).toBe(400);
      });
    });

    describe('assignment', () => {
      it('the checks name every gap in Chinese; teachers may not see them', async () => {
        const c = ok(await as.office.get('/api/support/assignments/check'));
        expect(c.counts).toMatchObject({ teachers: 3, cases: 3, withTeacher: 0 });
        expect(c.violations.map((v: any) => v.message)).toEqual([
          '教师李明帮扶0名学生，少于每人1名',
          '教师王芳帮扶0名学生，少于每人1名',
          '教师陈静帮扶0名学生，少于每人1名',
          '学校领导李明帮扶贫困生0名，应至少1名',
          '贫困生张伟还没有帮扶教师',
          '贫困生吴婷还没有帮扶教师',
          '黄磊（学困生（后20%））已确认为帮扶对象，还没有帮扶教师',
        ]);
        expect((await as.teacher.get('/api/support/assignments/check')).status).toBe(403);
        expect((await as.admin.get('/api/support/assignments/check')).status).toBe(400);
        expect(ok(await as.admin.get(`/api/support/assignments/check?schoolId=${getSeed().schools.b.id}`)).counts).toMatchObject({ teachers: 1, cases: 1 });
      });

      it('the suggestion fills the gaps; accepting it creates active 师生结对 pairings linked to the cases', async () => {
        const s = ok(await as.office.get('/api/support/assignments/suggestion'));
        expect(s.items.map((i: any) => [i.studentName, i.teacherName, i.reasons])).toEqual([
          ['张伟', '李明', ['学校领导帮扶贫困生', '任教该班数学（薄弱学科）', '现帮扶0名']],
          ['吴婷', '王芳', ['任教该班数学', '现帮扶0名']],
          ['黄磊', '王芳', ['任教该班数学', '学科对口：语文', '现帮扶1名']],
        ]);
        expect(s.violationsAfter.map((v: any) => v.message)).toEqual(['教师陈静帮扶0名学生，少于每人1名']);
        const items = s.items.map((i: any) => ({ caseId: i.caseId, teacherId: i.teacherId }));
        const pairingsBefore = await countOf(getCtx().db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'pairing.created'`);
        const r = ok(await as.office.post('/api/support/assignments/accept', { items, start: '2026-11-02', plan: '每两周谈心，每月学法指导' }));
        expect(r.pairings).toHaveLength(3);
        expect(r.violations.map((v: any) => v.rule)).toEqual(['teacher_min']);
        expect(await countOf(getCtx().db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'pairing.created'`)).toBe(pairingsBefore + 3);
        const stored = await rows<{ key: string; status: string; start: string; ref: any; helper: number; helped: number }>(getCtx().db, sql`
          SELECT pr.key, pg.status, pg.start_date AS start, pg.subject_ref AS ref,
            (SELECT person_id FROM pairing_participants WHERE pairing_id = pg.id AND side = 'helper') AS helper,
            (SELECT person_id FROM pairing_participants WHERE pairing_id = pg.id AND side = 'helped') AS helped
          FROM pairings pg JOIN programmes pr ON pr.id = pg.programme_id ORDER BY pg.id`);
        const { liMing, wangFang } = getSeed().teachers;
        expect(stored).toEqual([
          { key: 'teacher_student', status: 'active', start: '2026-11-02', ref: { kind: 'support_case', id: caseOf[0] }, helper: liMing.id, helped: st(0).id },
          { key: 'teacher_student', status: 'active', start: '2026-11-02', ref: { kind: 'support_case', id: caseOf[5] }, helper: wangFang.id, helped: st(5).id },
          { key: 'teacher_student', status: 'active', start: '2026-11-02', ref: { kind: 'support_case', id: caseOf[3] }, helper: wangFang.id, helped: st(3).id },
        ]);
        const d = ok(await as.office.get(`/api/support/cases/${caseOf[5]}`));
        expect(d).toMatchObject({ status: 'active', teachers: [expect.objectContaining({ name: '王芳', since: '2026-11-02', pairingStatus: 'active' })] });
        expect(d.history.at(-1)).toMatchObject({ from: 'confirmed', to: 'active', note: '分配帮扶教师：王芳' });
        // the teacher's caseload
        const mine = ok(await as.teacher.get('/api/support/cases?mine=true'));
        expect(mine.items.map((c: any) => c.studentName).sort()).toEqual(['吴婷', '黄磊']);
      });

      it('refuses an assignment that breaks a hard rule; peer pairs (一帮一) are 生生结对 pairings', async () => {
        const twice = await as.office.post('/api/support/assignments/accept', { items: [{ caseId: caseOf[0], teacherId: getSeed().teachers.chenJing.id }] });
        expect([twice.status, twice.body.message]).toEqual([400, '不能按此分配：贫困生张伟只能有一名帮扶教师']);
        const peer = ok(await as.office.post(`/api/support/cases/${caseOf[0]}/peer`, { helperStudentId: st(1).id, start: '2026-11-02' }));
        expect(peer.peers).toEqual([expect.objectContaining({ studentId: st(1).id, name: '刘洋', pairingStatus: 'active' })]);
        expect(peer.pairings.map((p: any) => p.programme)).toEqual(['teacher_student', 'peer']);
      });
    });

    describe('records and privacy', () => {
      let tutoring: any;
      let psych: any;

      it('the teacher records a support session with the five dimensions, a talk and a confidential 心理辅导; 教导处 the student\'s side', async () => {
        const pairingId = ok(await as.teacher.get(`/api/support/cases/${caseOf[5]}`)).teachers[0].pairingId;
        tutoring = ok(await as.teacher.post('/api/activities', {
          pairingId, type: 'tutoring', date: '2026-11-10', content: '分数加减法',
          fields: { subject: '数学', setting: '课内', place: '校内', area: '学习', aspect: '习惯', focus: '作业', result: '能独立完成练习' },
        }));
        expect(tutoring).toMatchObject({ typeLabel: '辅导', fields: { setting: '课内', focus: '作业' }, confidential: false });
        const bad = await as.teacher.post('/api/activities', { pairingId, type: 'tutoring', date: '2026-11-10', fields: { subject: '数学', setting: '课间' } });
        expect(bad.status).toBe(400);
        ok(await as.teacher.post('/api/activities', { pairingId, type: 'talk', date: '2026-11-10', content: '谈学习计划', fields: { topic: '计划' } }));
        psych = ok(await as.teacher.post('/api/activities', { pairingId, type: 'psych_support', date: '2026-11-12', content: '父母离异后的情绪', fields: { topic: '情绪' } }));
        expect(psych.confidential).toBe(true);
        ok(await as.teacher.post('/api/activities', { pairingId, type: 'home_visit', date: '2026-11-14', fields: { met: '奶奶', home_situation: '与奶奶同住', agreed: '每晚检查作业' } }));
        // the student's record book: 教导处 enters it (credited to the helped side); the teacher may not
        expect((await as.teacher.post('/api/activities', { pairingId, type: 'student_record', role: 'helped', date: '2026-11-10', fields: { kind: '辅导' } })).status).toBe(403);
        ok(await as.office.post('/api/activities', { pairingId, type: 'student_record', role: 'helped', date: '2026-11-10', content: '王老师讲了分数', fields: { kind: '辅导', subject: '数学' } }));
        ok(await as.office.post('/api/activities', { pairingId, type: 'student_record', role: 'helped', date: '2026-11-11', fields: { kind: '谈心' } }));
      });

      it('cross-check: teacher and student records of the same day, kind and subject', async () => {
        const x = ok(await as.office.get(`/api/support/cases/${caseOf[5]}/cross-check?from=2026-11-01&to=2026-11-30`));
        expect(x.matched).toEqual([{ date: '2026-11-10', kind: '辅导', subject: '数学', teacherRecordId: tutoring.id, studentRecordId: expect.any(Number) }]);
        expect(x.teacherOnly.map((r: any) => [r.date, r.kind])).toEqual([['2026-11-10', '谈心'], ['2026-11-12', '谈心'], ['2026-11-14', '家访/电访']]);
        expect(x.studentOnly.map((r: any) => [r.date, r.kind])).toEqual([['2026-11-11', '谈心']]);
      });

      it('the psychological note: the counsellor and the responsible teacher only; every view audited in its transaction', async () => {
        const id = caseOf[5]!;
        const put = ok(await as.counsellor.put(`/api/support/cases/${id}/psych`, { note: '父母离异，情绪波动大，每周一次心理辅导' }));
        expect(put.note).toBe('父母离异，情绪波动大，每周一次心理辅导');
        const sealed = await one<{ enc: Buffer }>(getCtx().db, sql`SELECT psych_note_enc AS enc FROM support_cases WHERE id = ${id}`);
        expect(Buffer.from(sealed!.enc).toString('utf8')).not.toContain('离异');
        const [audit] = await rows<{ after: any }>(getCtx().db, sql`SELECT after FROM audit_log WHERE action = 'support.psych_updated' ORDER BY id DESC LIMIT 1`);
        expect(JSON.stringify(audit!.after)).not.toContain('离异');

        const views = () => countOf(getCtx().db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'support.psych_view' AND entity_id = ${String(id)}`);
        const before = await views();
        const byTeacher = ok(await as.teacher.get(`/api/support/cases/${id}/psych`));
        expect(byTeacher.note).toContain('每周一次心理辅导');
        expect(byTeacher.records.map((r: any) => [r.id, r.content])).toEqual([[psych.id, '父母离异后的情绪']]);
        expect(await views()).toBe(before + 1);
        const [last] = await rows<{ actor_name: string; after: any }>(getCtx().db, sql`SELECT actor_name, after FROM audit_log WHERE action = 'support.psych_view' ORDER BY id DESC LIMIT 1`);
        expect(last).toMatchObject({ actor_name: '王芳', after: { note: true, records: [psych.id] } });
        // the case detail says who may read, never the note
        expect(ok(await as.teacher.get(`/api/support/cases/${id}`))).toMatchObject({ canReadPsych: true, hasPsychNote: true });
        expect(ok(await as.principal.get(`/api/support/cases/${id}`))).toMatchObject({ canReadPsych: false, hasPsychNote: true });
        for (const who of [as.principal, as.office, as.admin]) {
          const r = await who.get(`/api/support/cases/${id}/psych`);
          expect([r.status, r.body.message]).toEqual([403, '心理记录仅限本校心理辅导教师和该生的帮扶教师查看']);
        }
        expect(await views()).toBe(before + 1);
      });

      it('a teacher cannot see another teacher\'s psych notes; a view whose audit fails returns nothing', async () => {
        // 王芳 teaches A1 (语文): she sees 张伟's case, but 李明 is his responsible teacher
        ok(await as.counsellor.put(`/api/support/cases/${caseOf[0]}/psych`, { note: '考试焦虑' }));
        expect(ok(await as.teacher.get(`/api/support/cases/${caseOf[0]}`))).toMatchObject({ canReadPsych: false });
        expect((await as.teacher.get(`/api/support/cases/${caseOf[0]}/psych`)).status).toBe(403);
        expect(ok(await as.head.get(`/api/support/cases/${caseOf[0]}/psych`)).note).toBe('考试焦虑');
        // 李明 does not even see 吴婷's case (A2, not his student)
        expect((await as.head.get(`/api/support/cases/${caseOf[5]}/psych`)).status).toBe(404);
        const db = getCtx().db;
        await db.execute(sql.raw(`CREATE OR REPLACE FUNCTION test_break_audit() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN IF NEW.action = 'support.psych_view' THEN RAISE EXCEPTION 'audit write failed (test)'; END IF; RETURN NEW; END; $$`));
        await db.execute(sql`CREATE TRIGGER test_break_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION test_break_audit()`);
        try {
          const r = await as.head.get(`/api/support/cases/${caseOf[0]}/psych`);
          expect(r.status).toBe(500);
          expect(JSON.stringify(r.body)).not.toContain('考试焦虑');
        } finally {
          await db.execute(sql`DROP TRIGGER IF EXISTS test_break_audit ON audit_log`);
        }
      });

      it('reading a confidential record through the records API is audited too; a masked one is not', async () => {
        const n = () => countOf(getCtx().db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'activity.confidential_view'`);
        const before = await n();
        const masked = ok(await as.office.get(`/api/activities/${psych.id}`));
        expect(masked).toMatchObject({ masked: true, content: null });
        expect(await n()).toBe(before);
        expect(ok(await as.teacher.get(`/api/activities/${psych.id}`)).content).toBe('父母离异后的情绪');
        ok(await as.counsellor.get(`/api/activities?pairingId=${psych.pairingId}`));
        expect(await n()).toBe(before + 2);
      });

      it('a school cannot see another school\'s cases', async () => {
        expect((await as.principalB.get(`/api/support/cases/${caseOf[0]}`)).status).toBe(404);
        expect((await as.principalB.patch(`/api/support/cases/${caseOf[0]}`, { categories: ['behaviour'], reason: '试图修改' })).status).toBe(404);
        const list = ok(await as.principalB.get('/api/support/cases'));
        expect(list.items.map((c: any) => c.studentName)).toEqual(['孙浩']);
        expect(ok(await as.principal.get('/api/support/cases')).items.map((c: any) => c.schoolId)).not.toContain(getSeed().schools.b.id);
        // a subject teacher sees the cases of the classes she teaches and of the students she helps
        expect(ok(await as.teacher.get('/api/support/cases?pageSize=50')).items.map((c: any) => c.studentName).sort()).toEqual(['吴婷', '周敏', '张伟', '曾小红', '黄磊']);
      });
    });

    describe('monthly check by 教导处', () => {
      it('per teacher: the month\'s records by status and the semester\'s quota standing; accept several at once', async () => {
        const q = ok(await as.office.get('/api/support/checks?month=2026-11'));
        const { liMing, wangFang } = getSeed().teachers;
        expect(q.teachers.map((t: any) => [t.name, t.students, t.records])).toEqual([
          ['李明', 1, { total: 0, submitted: 0, accepted: 0, returned: 0 }],
          ['王芳', 2, { total: 6, submitted: 6, accepted: 0, returned: 0 }],
        ]);
        const wang = q.teachers.find((t: any) => t.teacherId === wangFang.id);
        expect(wang.standing.map((l: any) => l.rule)).toEqual(['ts.talk.fortnight', 'ts.talk.semester', 'ts.study_guidance', 'ts.home_contact', 'ts.reflection']);
        expect(wang.standing.find((l: any) => l.rule === 'ts.home_contact').done).toBe(1);
        expect(q.teachers.find((t: any) => t.teacherId === liMing.id).standing.every((l: any) => l.done === 0)).toBe(true);
        const list = ok(await as.office.get(`/api/activities?programme=teacher_student&from=2026-11-01&to=2026-11-30&pageSize=50`));
        const ids = list.items.map((a: any) => a.id);
        const r = ok(await as.office.post('/api/support/checks/review', { activityIds: ids, verdict: 'accepted' }));
        expect(r.reviewed).toHaveLength(4);
        expect(r.failed.map((f: any) => f.message)).toEqual(['不能审核自己填写的记录', '不能审核自己填写的记录']);
        expect((await as.office.post('/api/support/checks/review', { activityIds: [tutoringIdOf(list)], verdict: 'returned' })).status).toBe(400);
        expect(ok(await as.office.get('/api/support/checks?month=2026-11')).teachers[1].records).toMatchObject({ accepted: 4, submitted: 2 });
        expect((await as.teacher.get('/api/support/checks')).status).toBe(403);
        // the bureau's read-only inspector (督导) sees a school's check, and reviews nothing
        const seen = ok(await as.inspector.get(`/api/support/checks?month=2026-11&schoolId=${getSeed().schools.a.id}`));
        expect(seen.teachers.map((t: any) => [t.name, t.records])).toEqual(ok(await as.office.get('/api/support/checks?month=2026-11')).teachers.map((t: any) => [t.name, t.records]));
        expect((await as.inspector.post('/api/support/checks/review', { activityIds: ids, verdict: 'accepted' })).status).toBe(403);
      });
      const tutoringIdOf = (list: any) => list.items.find((a: any) => a.type === 'tutoring').id;
    });

    describe('reports', () => {
      it('coverage: per school and category, the API and the CLI give the same rows', async () => {
        const api = ok(await as.admin.get('/api/support/coverage'));
        const cli = JSON.parse((await coverageReport(getCtx(), 'json', getSeed().schoolYear)).toString('utf8'));
        expect(cli).toEqual(api.rows);
        const { a, b } = getSeed().schools;
        const row = (school: string, category: string) => api.rows.find((r: any) => r.school === school && r.category === category);
        expect(Object.keys(api.rows[0])).toEqual(['school', 'schoolName', 'category', 'confirmed', 'withTeacher', 'withoutTeacher']);
        // A: 张伟 (learning, poverty), 吴婷 (poverty, special_family), 黄磊 (learning) on the list, all with a teacher
        expect(row(a.code, 'learning')).toMatchObject({ confirmed: 2, withTeacher: 2, withoutTeacher: 0 });
        expect(row(a.code, 'poverty')).toMatchObject({ confirmed: 2, withTeacher: 2, withoutTeacher: 0 });
        expect(row(a.code, 'all')).toMatchObject({ confirmed: 3, withTeacher: 3 });
        expect(row(a.code, 'left_behind')).toMatchObject({ confirmed: 0 }); // 周敏 is only identified
        expect(row(b.code, 'learning')).toMatchObject({ schoolName: '山口村小学', confirmed: 1, withTeacher: 0, withoutTeacher: 1 });
        expect(api.rows).toHaveLength(2 * 7);
        const csv = (await coverageReport(getCtx(), 'csv', getSeed().schoolYear)).toString('utf8').split('\n');
        expect(csv[0]).toBe('school,schoolName,category,confirmed,withTeacher,withoutTeacher');
        expect(csv).toContain(`${b.code},山口村小学,learning,1,0,1`);
        const xlsx = await coverageReport(getCtx(), 'xlsx', getSeed().schoolYear);
        expect(xlsx.subarray(0, 2).toString()).toBe('PK');
        // a school sees its own rows only
        expect(ok(await as.principalB.get('/api/support/coverage')).rows.every((r: any) => r.school === b.code)).toBe(true);
        const exported = await as.admin.get('/api/support/coverage/export?format=csv');
        expect(exported.raw.toString('utf8')).toBe((await coverageReport(getCtx(), 'csv', getSeed().schoolYear)).toString('utf8'));
      });

      it('compliance: per teacher and per school, the API and the CLI give the same rows', async () => {
        const api = ok(await as.admin.get(`/api/support/compliance?period=${PERIOD}`));
        const cli = JSON.parse((await complianceReport(getCtx(), 'json', PERIOD)).toString('utf8'));
        expect(cli).toEqual(api.rows);
        expect(api.period).toBe(PERIOD);
        const { wangFang } = getSeed().teachers;
        const wang = api.rows.filter((r: any) => r.teacher === String(wangFang.id));
        expect(wang.map((r: any) => r.rule)).toEqual(['ts.talk.fortnight', 'ts.talk.semester', 'ts.study_guidance', 'ts.home_contact', 'ts.reflection']);
        expect(wang.find((r: any) => r.rule === 'ts.talk.semester')).toMatchObject({ done: 1, teacherName: '王芳', school: getSeed().schools.a.code });
        for (const r of api.rows) {
          expect(Object.keys(r)).toEqual(expect.arrayContaining(['school', 'teacher', 'rule', 'required', 'done', 'status']));
          expect(['on_track', 'behind', 'short']).toContain(r.status);
          expect(r.done).toBeLessThanOrEqual(r.required);
        }
        // a school's row adds up its teachers' rows
        const schoolRow = api.rows.find((r: any) => r.teacher === '' && r.rule === 'ts.talk.semester');
        const teacherRows = api.rows.filter((r: any) => r.teacher !== '' && r.rule === 'ts.talk.semester');
        expect(schoolRow).toMatchObject({ required: teacherRows.reduce((s: number, r: any) => s + r.required, 0), done: 1, teachers: 2 });
        const csv = (await complianceReport(getCtx(), 'csv', PERIOD)).toString('utf8').split('\n');
        expect(csv[0]).toBe('school,schoolName,teacher,teacherName,rule,ruleLabel,required,done,status,teachers,onTrack,behind,short');
        expect(csv).toHaveLength(api.rows.length + 2);
      });

      it('the OpenAPI document lists the support endpoints', async () => {
        const docs = await as.admin.get('/api/docs/json');
        const paths = docs.body.paths as Record<string, Record<string, unknown>>;
        for (const [p, m] of [['/api/support/cases', 'get'], ['/api/support/cases/from-exam', 'post'], ['/api/support/cases/{id}/psych', 'get'],
          ['/api/support/assignments/accept', 'post'], ['/api/support/checks', 'get'], ['/api/support/coverage', 'get'], ['/api/support/compliance', 'get']] as const) {
          expect(paths[p]?.[m], `${m} ${p}`).toBeDefined();
        }
      });

      it.runIf(kind === 'postgres')('the CLI prints the same JSON as the API', async () => {
        const ctx = getCtx();
        const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
        const env = { ...process.env, DATABASE_URL: ctx.config.databaseUrl, BANGFU_DATA_DIR: ctx.config.dataDir };
        const coverage = await execFileAsync(process.execPath, ['bin/bangfu.mjs', 'report', 'coverage', '--format', 'json'], { cwd: root, env, maxBuffer: 1 << 20 });
        expect(JSON.parse(coverage.stdout)).toEqual(ok(await as.admin.get('/api/support/coverage')).rows);
        const comp = await execFileAsync(process.execPath, ['bin/bangfu.mjs', 'report', 'compliance', '--period', PERIOD, '--format', 'json'], { cwd: root, env, maxBuffer: 1 << 20 });
        expect(JSON.parse(comp.stdout)).toEqual(ok(await as.admin.get(`/api/support/compliance?period=${PERIOD}`)).rows);
      }, 90_000);
    });

    describe('closing and the yearly refresh', () => {
      it('closing a case completes its pairings the same day and keeps the history', async () => {
        const d = ok(await as.office.post(`/api/support/cases/${caseOf[3]}/transition`, { to: 'closed', closeReason: 'improved', note: '期末数学及格' }));
        expect(d).toMatchObject({ status: 'closed', closeReason: 'improved', teachers: [] });
        expect(d.pairings).toEqual([expect.objectContaining({ programme: 'teacher_student', status: 'completed' })]);
        expect(d.history.at(-1)).toMatchObject({ event: 'status', from: 'active', to: 'closed', reason: 'improved', note: '期末数学及格' });
        expect((await as.office.patch(`/api/support/cases/${caseOf[3]}`, { categories: ['behaviour'], reason: '补充' })).status).toBe(409);
        expect(ok(await as.office.get('/api/support/assignments/check')).counts).toMatchObject({ cases: 2, withTeacher: 2 });
      });

      it('the new year\'s list from the data: continuing cases carried, the left listed, idempotent; the bureau sees the changes', async () => {
        const db = getCtx().db;
        const next = '2027-2028';
        const a = getSeed().schools.a;
        const cls = await one<{ id: number }>(db, sql`INSERT INTO classes (school_id, school_year, grade, class_no, name) VALUES (${a.id}, ${next}, 8, 1, '八年级(1)班') RETURNING id`);
        for (const i of [0, 1, 5]) {
          await db.execute(sql`INSERT INTO enrollments (student_id, school_year, class_id, school_id) VALUES (${st(i).id}, ${next}, ${cls!.id}, ${a.id})`);
        }
        const preview = ok(await as.office.get(`/api/support/refresh?schoolYear=${next}`));
        expect(preview.items.map((i: any) => [i.studentName, i.change, i.categories, i.previousCaseId])).toEqual([
          ['张伟', 'continuing', ['learning', 'poverty'], caseOf[0]],
          ['吴婷', 'continuing', ['poverty', 'special_family'], caseOf[5]],
        ]);
        expect(preview.left.map((l: any) => [l.studentName, l.reason])).toEqual([
          ['黄磊', '已结案：已转化（进步明显）'],
          ['周敏', '未在新学年注册在读（毕业、转学或休学），请结案'],
          ['曾小红', '未在新学年注册在读（毕业、转学或休学），请结案'],
        ]);
        expect(preview.schools).toEqual([{ schoolId: a.id, school: a.code, schoolName: a.name, new: 0, continuing: 2, left: 3 }]);
        expect(ok(await as.office.post('/api/support/refresh', { schoolYear: next }))).toEqual({ created: 2, continued: 2, updated: 0, closedPrevious: 2 });
        expect(ok(await as.office.post('/api/support/refresh', { schoolYear: next }))).toEqual({ created: 0, continued: 2, updated: 0, closedPrevious: 0 });
        const old = ok(await as.office.get(`/api/support/cases/${caseOf[0]}`));
        expect(old).toMatchObject({ status: 'closed', closeReason: 'continued' });
        expect(old.nextCaseId).toEqual(expect.any(Number));
        const fresh = ok(await as.office.get(`/api/support/cases/${old.nextCaseId}`));
        expect(fresh).toMatchObject({ schoolYear: next, status: 'active', previousCaseId: caseOf[0], className: '八年级(1)班', teachers: [expect.objectContaining({ name: '李明' })] });
        expect(fresh.history.map((h: any) => h.event)).toEqual(['carried_over']);
        const changes = ok(await as.admin.get(`/api/support/year-changes?schoolYear=${next}&schoolId=${a.id}`));
        expect(changes.schools).toEqual([{ schoolId: a.id, school: a.code, schoolName: a.name, new: 0, continuing: 2, left: 3 }]);
        expect(changes.students.continuing.map((s: any) => s.studentName)).toEqual(['张伟', '吴婷']);
        expect(changes.students.left.map((s: any) => s.studentName)).toEqual(['黄磊', '周敏', '曾小红']);
        expect((await as.principalB.post('/api/support/refresh', { schoolYear: next })).body).toEqual({ created: 0, continued: 0, updated: 0, closedPrevious: 0 });
      });
    });
  },
  seedCounty,
);
