import { afterEach, describe, expect, it } from 'vitest';
import { http, startTestApp, TEST_ADMIN, type TestApp } from '../support/test-app.js';

let testApp: TestApp | undefined;
const start = async (options: Parameters<typeof startTestApp>[0]) => (testApp = await startTestApp(options));
const call = (method: string, path: string, options?: Parameters<typeof http>[3]) => http(testApp!.baseUrl, method, path, options);

afterEach(async () => {
  await testApp?.close();
  testApp = undefined;
});

describe('rate limits', () => {
  it('throttles login attempts: 429 with Retry-After, even for the right password, while other routes go on', async () => {
    await start({ rateLimits: { loginPerMinute: 3 } });
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(
        (await call('POST', '/api/auth/login', { json: { email: TEST_ADMIN.email, password: `guess number ${attempt}` } })).status,
      ).toBe(401);
    }
    const throttled = await call('POST', '/api/auth/login', { json: TEST_ADMIN });
    expect(throttled.status).toBe(429);
    expect(throttled.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    const retryAfter = Number(throttled.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    expect(throttled.headers.get('x-request-id')).toMatch(/.+/);

    expect((await call('GET', '/api/health')).status).toBe(200);
    expect((await call('GET', '/api/companies')).status).toBe(401);
  });

  it('limits each client over the whole API, never /api/health, and keeps login apart', async () => {
    await start({ rateLimits: { perMinute: 5 } });
    const admin = await testApp!.as('admin');
    const statuses: number[] = [];
    for (let request = 0; request < 4; request++) statuses.push((await call('GET', '/api/companies', { headers: admin })).status);
    statuses.push((await call('GET', '/api/users')).status);
    statuses.push((await call('GET', '/api/accelerators', { headers: admin })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 401, 429]);
    const limited = await call('GET', '/api/commitments', { headers: admin });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    for (let probe = 0; probe < 12; probe++) expect((await call('GET', '/api/health')).status).toBe(200);
    expect((await call('POST', '/api/auth/login', { json: TEST_ADMIN })).status).toBe(200);
  });

  it('turns the API limit off with 0', async () => {
    await start({ rateLimits: { perMinute: 0 } });
    const admin = await testApp!.as('admin');
    const statuses = new Set<number>();
    for (let request = 0; request < 40; request++) statuses.add((await call('GET', '/api/companies', { headers: admin })).status);
    expect([...statuses]).toEqual([200]);
  });
});

describe('headers, CORS and errors', () => {
  it('keeps cross-origin calls closed by default and sets the helmet headers and a request id on every answer', async () => {
    await start({});
    const preflight = await call('OPTIONS', '/api/companies', {
      headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await call('GET', '/api/health', { headers: { origin: 'https://elsewhere.example' } });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
    expect(simple.headers.get('x-content-type-options')).toBe('nosniff');
    expect(simple.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(simple.headers.get('x-powered-by')).toBeNull();

    for (const response of [simple, await call('GET', '/api/companies'), await call('GET', '/api/nothing-here')]) {
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect((await call('GET', '/api/health', { headers: { 'x-request-id': 'trace-42' } })).headers.get('x-request-id')).toBe('trace-42');
  });

  it('opens CORS to the origins CORS_ORIGINS lists, and only those', async () => {
    await start({ corsOrigins: ['https://ledger.example.com'] });
    const allowed = await call('OPTIONS', '/api/companies', {
      headers: { origin: 'https://ledger.example.com', 'access-control-request-method': 'PATCH' },
    });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://ledger.example.com');
    const other = await call('OPTIONS', '/api/companies', {
      headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'PATCH' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers an oversized or malformed body with a plain error: no stack trace, no SQL', async () => {
    await start({});
    const analyst = await testApp!.as('analyst');
    const huge = await call('POST', '/api/companies', { json: { name: 'x'.repeat(1_100_000) }, headers: analyst });
    expect(huge.status).toBe(413);
    expect(huge.body).toEqual({ statusCode: 413, error: 'Payload Too Large', message: 'request entity too large' });
    const malformed = await call('POST', '/api/companies', { text: '{"name": ', contentType: 'application/json', headers: analyst });
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(malformed.body)).not.toMatch(/SyntaxError|at .*\.js|node_modules/);
    const duplicate = await call('POST', '/api/companies', { json: { name: 'Once Only' }, headers: analyst });
    expect(duplicate.status).toBe(201);
    const again = await call('POST', '/api/companies', { json: { name: 'ONCE ONLY' }, headers: analyst });
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.body)).not.toMatch(/INSERT|SELECT|duplicate key|companies_name_unique/);
  });
});

describe('structured logs', () => {
  it('writes one JSON line per request with its id, method, path, status, duration and user, and never a password, token or cookie', async () => {
    const lines: string[] = [];
    await start({ log: { write: (line: string) => void lines.push(line) } });
    const login = await call('POST', '/api/auth/login', { json: TEST_ADMIN, headers: { 'x-request-id': 'login-1' } });
    const token: string = login.body.accessToken;
    const userId: string = login.body.user.id;
    await call('GET', '/api/commitments?q=secret', {
      headers: { authorization: `Bearer ${token}`, cookie: 'session=cookie-value-never-logged', 'x-request-id': 'list-1' },
    });
    await call('GET', '/api/users', { headers: { authorization: 'Bearer forged.token.value', 'x-request-id': 'forged-1' } });
    // A request's line is written once its response has gone out, which the client may see first.
    for (let wait = 0; wait < 100 && !lines.some((line) => line.includes('"forged-1"')); wait++)
      await new Promise((r) => setTimeout(r, 20));
    const entries = lines.map((line) => JSON.parse(line));
    const requests = new Map(entries.filter((entry) => entry.context === 'HTTP').map((entry) => [entry.requestId, entry]));
    expect(requests.get('login-1')).toEqual({
      level: 'info',
      time: expect.any(Number),
      pid: process.pid,
      context: 'HTTP',
      requestId: 'login-1',
      method: 'POST',
      path: '/api/auth/login',
      status: 200,
      durationMs: expect.any(Number),
      userId: null,
      msg: 'request completed',
    });
    expect(requests.get('list-1')).toMatchObject({ method: 'GET', path: '/api/commitments', status: 200, userId });
    expect(requests.get('forged-1')).toMatchObject({ path: '/api/users', status: 401, userId: null });
    // Nest's own lines (its start) go through the same log.
    expect(entries).toContainEqual(expect.objectContaining({ level: 'info', context: 'NestApplication' }));
    const output = lines.join('');
    expect(output).not.toContain(TEST_ADMIN.password);
    expect(output).not.toContain(token);
    expect(output).not.toContain('forged.token.value');
    expect(output).not.toContain('cookie-value-never-logged');
    expect(output).not.toMatch(/authorization|"headers"/i);
  });
});
