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
      ['/api/setup/status', 'get'], ['/api/setup', 'post'], ['/api/setup/demo', 'post'],
      ['/api/schools', 'get'], ['/api/schools/{id}', 'get'], ['/api/teachers', 'get'], ['/api/teachers/{id}', 'get'],
      ['/api/students', 'get'], ['/api/students/{id}', 'get'], ['/api/students/{id}/reveal', 'post'], ['/api/dashboard', 'get'],
      ['/api/accounts', 'get'], ['/api/accounts', 'post'], ['/api/accounts/{id}', 'patch'], ['/api/accounts/{id}/reset-password', 'post'],
      ['/api/audit', 'get'], ['/api/imports/roster', 'post'], ['/api/imports/{id}', 'get'], ['/api/imports/{id}/errors', 'get'], ['/api/imports', 'get'],
    ];
    for (const [p, method] of expected) expect(paths[p]?.[method], `${method.toUpperCase()} ${p}`).toBeDefined();
    // query parameters of the student list are described, not hidden
    const params = (paths['/api/students']!.get as { parameters: { name: string }[] }).parameters.map((x) => x.name);
    expect(params).toEqual(expect.arrayContaining(['q', 'schoolCode', 'page', 'pageSize']));
    const ui = await anon.get('/api/docs');
    expect([200, 302]).toContain(ui.status);
  });
});
