import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../src/config/environment.js';
import {
  http,
  refreshCookieOf,
  startTestApp,
  startWithGeneratedAdmin,
  TEST_ADMIN,
  type TestApp,
  type TestSession,
} from '../support/test-app.js';

const SAME_ORIGIN = { 'sec-fetch-site': 'same-origin' };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function createUser(testApp: TestApp, email: string, role: string, password = 'a long enough password') {
  const response = await http(testApp.baseUrl, 'POST', '/api/users', {
    json: { email, password, role },
    headers: await testApp.as('admin'),
  });
  expect(response.status).toBe(201);
  return { id: response.body.id as string, email, password };
}

/** POST /api/auth/refresh as the web client sends it: the cookie, from a page of the same origin. */
const refresh = (testApp: TestApp, cookie: string | undefined, headers: Record<string, string> = SAME_ORIGIN) =>
  http(testApp.baseUrl, 'POST', '/api/auth/refresh', {
    headers: { ...headers, ...(cookie ? { cookie: `ledger_refresh=${cookie}` } : {}) },
  });

describe('sessions over two instances of one database', () => {
  let first: TestApp;
  let second: TestApp;
  const me = (app: TestApp, session: { headers: Record<string, string> }) =>
    http(app.baseUrl, 'GET', '/api/auth/me', { headers: session.headers });

  beforeAll(async () => {
    first = await startTestApp({ rateLimits: { loginPerMinute: 0 } });
    second = await first.startAnotherInstance();
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('logs out with 204: the token stops at once on both instances, and so does the refresh cookie', async () => {
    const session = await first.login(TEST_ADMIN);
    // Both instances know the token (and remember it) before the logout.
    expect((await me(first, session)).status).toBe(200);
    expect((await me(second, session)).status).toBe(200);
    const other = await first.login(TEST_ADMIN);

    const logout = await http(first.baseUrl, 'POST', '/api/auth/logout', { headers: session.headers });
    expect(logout.status).toBe(204);
    expect(logout.body).toBeNull();
    expect(logout.headers.getSetCookie().join()).toMatch(/^ledger_refresh=; Path=\/api\/auth; Expires=Thu, 01 Jan 1970/);

    const onSecond = await me(second, session);
    expect(onSecond.status).toBe(401);
    expect(onSecond.body.message).toBe('The token is no longer valid: log in again');
    expect((await me(first, session)).status).toBe(401);
    expect((await http(second.baseUrl, 'GET', '/api/companies', { headers: session.headers })).status).toBe(401);
    expect((await refresh(second, session.refreshCookie)).status).toBe(401);
    // Another sign-in of the same account goes on.
    expect((await me(second, other)).status).toBe(200);
    expect((await http(second.baseUrl, 'POST', '/api/auth/logout')).status).toBe(401);
  });

  it('applies a role change made on one instance to the next request on the other, both ways', async () => {
    const user = await createUser(first, 'promoted@ledger.test', 'viewer');
    const session = await second.login(user);
    const write = () =>
      http(second.baseUrl, 'POST', '/api/companies', { json: { name: `Lab ${Math.random()}` }, headers: session.headers });
    expect((await write()).status).toBe(403);
    const admin = await first.as('admin');
    expect((await http(first.baseUrl, 'PATCH', `/api/users/${user.id}`, { json: { role: 'analyst' }, headers: admin })).status).toBe(200);
    expect((await write()).status).toBe(201);
    expect((await me(second, session)).body.role).toBe('analyst');
    expect((await http(first.baseUrl, 'PATCH', `/api/users/${user.id}`, { json: { role: 'viewer' }, headers: admin })).status).toBe(200);
    expect((await write()).status).toBe(403);
    // The refresh answer tells the client the role as it is now.
    expect((await refresh(second, session.refreshCookie)).body.user.role).toBe('viewer');
  });

  it('ends every session of an account disabled, or whose password changed, on the other instance at once', async () => {
    const leaving = await createUser(first, 'leaving@ledger.test', 'analyst');
    const session = await first.login(leaving);
    expect((await me(second, session)).status).toBe(200);
    const admin = await first.as('admin');
    expect((await http(first.baseUrl, 'PATCH', `/api/users/${leaving.id}`, { json: { disabled: true }, headers: admin })).status).toBe(200);
    expect((await me(second, session)).status).toBe(401);
    expect((await refresh(second, session.refreshCookie)).status).toBe(401);

    const careful = await createUser(first, 'careful@ledger.test', 'viewer');
    const [here, there] = [await first.login(careful), await second.login(careful)];
    expect((await me(second, there)).status).toBe(200);
    const changed = await http(first.baseUrl, 'POST', '/api/auth/password', {
      json: { currentPassword: careful.password, newPassword: 'my next long password' },
      headers: here.headers,
    });
    expect(changed.status).toBe(200);
    expect((await me(second, there)).status).toBe(401);
    expect((await me(second, here)).status).toBe(401);
    expect((await me(second, { headers: bearer(changed.body.accessToken) })).status).toBe(200);
    expect((await refresh(second, there.refreshCookie)).status).toBe(401);
    expect((await refresh(second, refreshCookieOf(changed.headers))).status).toBe(200);
  });
});

describe('the refresh cookie', () => {
  let testApp: TestApp;
  let session: TestSession;
  const sessions = () => testApp.app.get(DataSource).query('SELECT id, rotated_at FROM auth_sessions');

  beforeAll(async () => {
    testApp = await startTestApp({ rateLimits: { loginPerMinute: 0 }, trustProxy: 1 });
    session = await testApp.login(TEST_ADMIN);
  });
  afterAll(() => testApp?.close());

  it('is set at login HttpOnly, SameSite=Strict, for the auth routes only, and Secure when the request came over https', async () => {
    const login = await http(testApp.baseUrl, 'POST', '/api/auth/login', { json: TEST_ADMIN });
    const [cookie] = login.headers.getSetCookie();
    expect(cookie).toMatch(/^ledger_refresh=[0-9a-f-]{36}\.[\w-]{43}; Path=\/api\/auth; Expires=[^;]+ GMT; HttpOnly; SameSite=Strict$/);
    const expires = Date.parse(/Expires=([^;]+)/.exec(cookie)![1]);
    expect(Math.abs(expires - (Date.now() + 3600_000))).toBeLessThan(5_000);
    const proxied = await http(testApp.baseUrl, 'POST', '/api/auth/login', { json: TEST_ADMIN, headers: { 'x-forwarded-proto': 'https' } });
    expect(proxied.headers.getSetCookie()[0]).toMatch(/; HttpOnly; Secure; SameSite=Strict$/);
  });

  it('gives a new tab its own access token and the user, rotating the cookie; the new token works', async () => {
    const refreshed = await refresh(testApp, session.refreshCookie);
    expect(refreshed.status).toBe(200);
    expect(Object.keys(refreshed.body).sort()).toEqual(['accessToken', 'user']);
    expect(refreshed.body.user).toEqual(session.user);
    const rotated = refreshCookieOf(refreshed.headers)!;
    expect(rotated).toMatch(/^[0-9a-f-]{36}\.[\w-]{43}$/);
    expect(rotated.split('.')[0]).toBe(session.refreshCookie.split('.')[0]);
    expect(rotated).not.toBe(session.refreshCookie);
    expect((await http(testApp.baseUrl, 'GET', '/api/auth/me', { headers: bearer(refreshed.body.accessToken) })).status).toBe(200);

    // A second tab refreshing with the cookie just replaced (both started at once) is answered, without another rotation.
    const racing = await refresh(testApp, session.refreshCookie);
    expect(racing.status).toBe(200);
    expect(racing.headers.getSetCookie()).toEqual([]);
    const next = await refresh(testApp, rotated);
    expect(next.status).toBe(200);
    session = { ...session, refreshCookie: refreshCookieOf(next.headers)! };
  });

  it('ends the session when a cookie replaced for good is used again (a stolen copy)', async () => {
    const victim = await testApp.login(TEST_ADMIN);
    const stolen = victim.refreshCookie;
    const fresh = refreshCookieOf((await refresh(testApp, stolen)).headers)!;
    // The rotation happened a minute ago, as if the thief came back later: past the grace for tabs refreshing at once.
    await testApp.app
      .get(DataSource)
      .query("UPDATE auth_sessions SET rotated_at = now() - interval '1 minute' WHERE id = $1", [stolen.split('.')[0]]);
    expect((await refresh(testApp, stolen)).status).toBe(401);
    expect((await refresh(testApp, fresh)).status).toBe(401);
    expect((await http(testApp.baseUrl, 'GET', '/api/auth/me', { headers: victim.headers })).status).toBe(401);
  });

  it('answers only same-origin pages: another site or a sibling subdomain gets 403 and no token', async () => {
    const before = await sessions();
    const foreign: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'https://evil.example' },
      { origin: 'http://127.0.0.1:1' },
    ];
    for (const headers of foreign) {
      const response = await refresh(testApp, session.refreshCookie, headers);
      expect([headers, response.status, response.body.accessToken]).toEqual([headers, 403, undefined]);
      expect(response.headers.getSetCookie()).toEqual([]);
    }
    expect(await sessions()).toEqual(before);
    // The page's own origin, and a client that is no browser (no Origin, no Sec-Fetch-Site), are answered.
    const own = await refresh(testApp, session.refreshCookie, { origin: testApp.baseUrl });
    expect(own.status).toBe(200);
    const script = await refresh(testApp, refreshCookieOf(own.headers), {});
    expect(script.status).toBe(200);
    session = { ...session, refreshCookie: refreshCookieOf(script.headers)! };
  });

  it('answers 204 with no cookie, and 401 with a cookie that names no session, clearing it', async () => {
    expect((await refresh(testApp, undefined)).status).toBe(204);
    const unknown = await refresh(testApp, `00000000-0000-4000-8000-000000000000.${'a'.repeat(43)}`);
    expect(unknown.status).toBe(401);
    expect(unknown.body.message).toBe('The sign-in has ended: log in again');
    expect(unknown.headers.getSetCookie().join()).toMatch(/^ledger_refresh=; Path=\/api\/auth; Expires=Thu, 01 Jan 1970/);
    expect((await refresh(testApp, 'garbage')).status).toBe(401);
  });

  it('is ended by a logout made with the access token of another tab of the same browser', async () => {
    const tab = await refresh(testApp, session.refreshCookie);
    const cookie = refreshCookieOf(tab.headers)!;
    const logout = await http(testApp.baseUrl, 'POST', '/api/auth/logout', {
      headers: { ...bearer(tab.body.accessToken), cookie: `ledger_refresh=${cookie}` },
    });
    expect(logout.status).toBe(204);
    expect((await refresh(testApp, cookie)).status).toBe(401);
    expect((await http(testApp.baseUrl, 'GET', '/api/auth/me', { headers: session.headers })).status).toBe(401);
  });
});

describe('password length', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp({ rateLimits: { loginPerMinute: 0 } });
  });
  afterAll(() => testApp?.close());

  it('refuses 11 characters wherever a password is set, naming the field, and accepts 12', async () => {
    const admin = await testApp.as('admin');
    const eleven = 'x'.repeat(11);
    const created = await http(testApp.baseUrl, 'POST', '/api/users', {
      json: { email: 'short@ledger.test', password: eleven, role: 'viewer' },
      headers: admin,
    });
    expect(created.status).toBe(400);
    expect(created.body.details).toEqual([{ field: 'password', messages: ['password must be 12 to 200 characters long'] }]);
    const user = await createUser(testApp, 'twelve@ledger.test', 'viewer', 'y'.repeat(12));

    const reset = await http(testApp.baseUrl, 'PATCH', `/api/users/${user.id}`, { json: { password: eleven }, headers: admin });
    expect(reset.status).toBe(400);
    expect(reset.body.details.map((detail: { field: string }) => detail.field)).toEqual(['password']);

    const session = await testApp.login(user);
    const change = (newPassword: string) =>
      http(testApp.baseUrl, 'POST', '/api/auth/password', {
        json: { currentPassword: user.password, newPassword },
        headers: session.headers,
      });
    const refused = await change(eleven);
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([{ field: 'newPassword', messages: ['newPassword must be 12 to 200 characters long'] }]);
    expect((await change('z'.repeat(12))).status).toBe(200);
  });
});

describe('limits on password guessing', () => {
  const apps: TestApp[] = [];
  const start = async (options: Parameters<typeof startTestApp>[0]) => {
    const testApp = await startTestApp(options);
    apps.push(testApp);
    return testApp;
  };
  afterEach(async () => {
    for (const testApp of apps.splice(0).reverse()) await testApp.close();
  });
  const login = (testApp: TestApp, json: unknown, address: string) =>
    http(testApp.baseUrl, 'POST', '/api/auth/login', { json, headers: { 'x-forwarded-for': address } });

  it('stops 60 failed logins on one account from 60 addresses over two instances, the right password included', async () => {
    const first = await start({ trustProxy: 1 });
    const second = await first.startAnotherInstance();
    apps.push(second);
    await createUser(first, 'bystander@ledger.test', 'viewer');
    const statuses: number[] = [];
    let retryAfter = 0;
    for (let attempt = 0; attempt < 60; attempt++) {
      const instance = attempt % 2 === 0 ? first : second;
      const response = await login(
        instance,
        { email: TEST_ADMIN.email.toUpperCase(), password: `guess number ${attempt}` },
        `198.51.100.${attempt}`,
      );
      statuses.push(response.status);
      if (response.status === 429) retryAfter = Number(response.headers.get('retry-after'));
    }
    expect(statuses).toEqual([...Array(10).fill(401), ...Array(50).fill(429)]);
    expect(retryAfter).toBeGreaterThan(800);
    expect(retryAfter).toBeLessThanOrEqual(900);

    const owner = await login(second, TEST_ADMIN, '203.0.113.1');
    expect(owner.status).toBe(429);
    expect(owner.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: expect.stringMatching(/^Too many failed sign-ins for this account: try again in \d+ s$/),
    });
    // Other accounts are not affected, and the limit per address still holds on its own.
    expect((await login(first, { email: 'bystander@ledger.test', password: 'a long enough password' }, '203.0.113.2')).status).toBe(200);
    const fromOneAddress: number[] = [];
    for (let attempt = 0; attempt < 11; attempt++) {
      fromOneAddress.push(
        (await login(first, { email: `nobody${attempt}@ledger.test`, password: 'not the password' }, '203.0.113.3')).status,
      );
    }
    expect(fromOneAddress).toEqual([...Array(10).fill(401), 429]);
  });

  it('counts guesses sent in parallel before checking them: only the allowance gets an answer', async () => {
    const testApp = await start({ trustProxy: 1 });
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, attempt) =>
        login(testApp, { email: TEST_ADMIN.email, password: `parallel guess ${attempt}` }, `192.0.2.${attempt}`),
      ),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([...Array(10).fill(401), ...Array(10).fill(429)]);
  });

  it('lets the owner in once the window is over, and a right password clears the count', async () => {
    const testApp = await start({ trustProxy: 1, rateLimits: { loginFailuresPerAccount: 3, loginFailureWindowSeconds: 5 } });
    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await login(testApp, { email: TEST_ADMIN.email, password: `guess ${attempt}` }, `192.0.2.${attempt}`)).status).toBe(401);
    }
    const locked = await login(testApp, TEST_ADMIN, '192.0.2.10');
    expect(locked.status).toBe(429);
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(5);
    await sleep(retryAfter * 1000 + 200);
    expect((await login(testApp, TEST_ADMIN, '192.0.2.11')).status).toBe(200);
    // The count started again: two more failures leave the right password working.
    for (let attempt = 0; attempt < 2; attempt++) {
      expect((await login(testApp, { email: TEST_ADMIN.email, password: `guess ${attempt}` }, '192.0.2.12')).status).toBe(401);
    }
    expect((await login(testApp, TEST_ADMIN, '192.0.2.13')).status).toBe(200);
  });

  it('limits the password change per address, and counts wrong current passwords against the account', async () => {
    const testApp = await start({ rateLimits: { loginPerMinute: 4, loginFailuresPerAccount: 0 } });
    const session = await testApp.login(TEST_ADMIN);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const response = await http(testApp.baseUrl, 'POST', '/api/auth/password', {
        json: { currentPassword: `guess ${attempt}`, newPassword: 'a fresh long password' },
        headers: session.headers,
      });
      statuses.push(response.status);
      if (response.status === 429) expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // The login above used one of the address's four attempts.
    expect(statuses).toEqual([400, 400, 400, 429]);

    const perAccount = await start({ rateLimits: { loginPerMinute: 0, loginFailuresPerAccount: 3 } });
    const owner = await perAccount.login(TEST_ADMIN);
    const changes: number[] = [];
    for (const currentPassword of ['guess 1', 'guess 2', 'guess 3', TEST_ADMIN.password]) {
      const response = await http(perAccount.baseUrl, 'POST', '/api/auth/password', {
        json: { currentPassword, newPassword: 'a fresh long password' },
        headers: owner.headers,
      });
      changes.push(response.status);
    }
    expect(changes).toEqual([400, 400, 400, 429]);
  });
});

describe('the first admin', () => {
  it('with a generated password printed once: the first sign-in must change it, every other route answers 403', async () => {
    const { testApp, password } = await startWithGeneratedAdmin('first@ledger.test');
    try {
      const session = await testApp.login({ email: 'first@ledger.test', password });
      const call = (method: string, path: string, json?: unknown, headers = session.headers) =>
        http(testApp.baseUrl, method, path, { json, headers });

      for (const [method, path, json] of [
        ['GET', '/api/companies'],
        ['GET', '/api/users'],
        ['POST', '/api/auth/tokens', { name: 'too early' }],
        ['GET', '/api/capacity'],
      ] as const) {
        const refused = await call(method, path, json);
        expect([path, refused.status, refused.body]).toEqual([
          path,
          403,
          {
            statusCode: 403,
            error: 'Forbidden',
            message: 'Choose a new password first (POST /api/auth/password)',
            code: 'password_change_required',
          },
        ]);
      }
      expect((await call('GET', '/api/auth/me')).status).toBe(200);
      expect((await refresh(testApp, session.refreshCookie)).status).toBe(200);

      const changed = await call('POST', '/api/auth/password', {
        currentPassword: password,
        newPassword: 'the first admin’s own password',
      });
      expect(changed.status).toBe(200);
      expect((await call('GET', '/api/companies')).status).toBe(401);
      expect((await call('GET', '/api/companies', undefined, bearer(changed.body.accessToken))).status).toBe(200);
      const again = await testApp.login({ email: 'first@ledger.test', password: 'the first admin’s own password' });
      expect((await call('GET', '/api/users', undefined, again.headers)).status).toBe(200);
    } finally {
      await testApp.close();
    }
  });

  it('without ADMIN_PASSWORD on a database server: the start stops, naming the variable, and creates no one', async () => {
    const start = startTestApp({ firstAdmin: { email: 'first@ledger.test' } });
    await expect(start).rejects.toThrow(EnvironmentError);
    await expect(start).rejects.toThrow(/ADMIN_PASSWORD: required on the first start with DATABASE_URL, while the database has no users/);
    const probe = await startTestApp();
    try {
      const users = await http(probe.baseUrl, 'GET', '/api/users', { headers: await probe.as('admin') });
      expect(users.body.map((user: { email: string }) => user.email)).toEqual([TEST_ADMIN.email]);
    } finally {
      await probe.close();
    }
  });
});
