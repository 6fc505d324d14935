// The HTTP API is documented by OpenAPI at /api/docs (JSON at /api/docs/json), reachable
// without a session, and names every endpoint the issue lists.
import { expect, it } from 'vitest';
import { describeOnBackends } from '../helpers/db.js';
import { Agent, testApp } from '../helpers/http.js';

describeOnBackends('OpenAPI document', (getCtx) => {
  it('lists the documented endpoints with their methods', async () => {
    const anon = new Agent(await testApp(getCtx()));
    const res = await anon.get('/api/docs/json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    const paths = res.body.paths as Record<string, Record<string, unknown>>;
    const expected: [string, string][] = [
      ['/api/auth/login', 'post'], ['/api/auth/logout', 'post'], ['/api/auth/password', 'post'], ['/api/me', 'get'],
      ['/api/setup/status', 'get'], ['/api/setup', 'post'], ['/api/setup/demo', 'post'], ['/api/setup/demo/{jobId}', 'get'],
      ['/api/schools', 'get'], ['/api/schools/{id}', 'get'], ['/api/teachers', 'get'], ['/api/teachers/{id}', 'get'],
      ['/api/students', 'get'], ['/api/students/{id}', 'get'], ['/api/students/{id}/reveal', 'post'], ['/api/dashboard', 'get'],
      ['/api/accounts', 'get'], ['/api/accounts', 'post'], ['/api/accounts/{id}', 'patch'], ['/api/accounts/{id}/reset-password', 'post'],
      ['/api/audit', 'get'], ['/api/imports/roster', 'post'], ['/api/imports/{id}', 'get'], ['/api/imports/{id}/errors', 'get'], ['/api/imports', 'get'],
      // exams and 后20% (issue 3)
      ['/api/exams', 'get'], ['/api/exams', 'post'], ['/api/exams/{id}', 'get'], ['/api/exams/{id}', 'delete'], ['/api/exams/{id}/scores', 'post'],
      ['/api/exams/{id}/unmatched', 'get'], ['/api/exams/{id}/analyse', 'post'], ['/api/exams/{id}/analysis/subjects', 'get'],
      ['/api/exams/{id}/analysis/units', 'get'], ['/api/exams/{id}/analysis/targets-summary', 'get'], ['/api/schools/{code}/exam-trend', 'get'],
      ['/api/exams/{id}/candidates', 'get'], ['/api/exams/{id}/candidates/{studentId}', 'patch'], ['/api/exams/{id}/awards', 'get'],
      ['/api/exams/{id}/awards/review', 'patch'], ['/api/exams/{id}/export.xlsx', 'get'], ['/api/exams/{id}/awards/export.xlsx', 'get'],
      ['/api/exam-targets/{schoolYear}/{grade}', 'get'], ['/api/exam-targets/{schoolYear}/{grade}', 'put'], ['/api/exam-settings', 'get'], ['/api/exam-settings', 'put'],
      // pairings engine and student support (issue 4)
      ['/api/programmes', 'get'], ['/api/pairings', 'get'], ['/api/pairings', 'post'], ['/api/pairings/{id}/transition', 'post'],
      ['/api/pairings/{id}/standing', 'get'], ['/api/pairings/standings', 'get'], ['/api/pairings/due', 'get'],
      ['/api/activities', 'post'], ['/api/activities/{id}/review', 'post'], ['/api/activities/{id}/attachments', 'post'],
      ['/api/support/cases', 'get'], ['/api/support/cases', 'post'], ['/api/support/cases/from-exam', 'post'], ['/api/support/cases/{id}', 'get'],
      ['/api/support/cases/{id}/transition', 'post'], ['/api/support/cases/{id}/analysis', 'put'], ['/api/support/cases/{id}/psych', 'get'],
      ['/api/support/assignments/check', 'get'], ['/api/support/assignments/suggestion', 'get'], ['/api/support/assignments/accept', 'post'],
      ['/api/support/checks', 'get'], ['/api/support/checks/review', 'post'], ['/api/support/refresh', 'post'],
      ['/api/support/coverage', 'get'], ['/api/support/compliance', 'get'],
      ['/api/support/cases/{id}/trajectory', 'get'], ['/api/support/outcomes/awards', 'get'], ['/api/support/outcomes/comparison', 'get'], ['/api/support/outcomes/mix', 'get'],
      // aid (资助)
      ['/api/support/aid', 'get'], ['/api/support/aid', 'post'], ['/api/support/aid/{id}', 'patch'], ['/api/support/aid/{id}/revoke', 'post'],
      ['/api/support/aid/items', 'get'], ['/api/support/aid/items/{key}', 'put'], ['/api/support/aid/summary', 'get'],
    ];
    for (const [p, method] of expected) expect(paths[p]?.[method], `${method.toUpperCase()} ${p}`).toBeDefined();
    // query parameters of the student list are described, not hidden
    const params = (paths['/api/students']!.get as { parameters: { name: string }[] }).parameters.map((x) => x.name);
    expect(params).toEqual(expect.arrayContaining(['q', 'schoolCode', 'page', 'pageSize']));
    const ui = await anon.get('/api/docs');
    expect([200, 302]).toContain(ui.status);
  });
});
