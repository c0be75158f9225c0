import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startTestApp, type TestApp } from '../support/test-app.js';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('API tokens for scripts and BI tools', () => {
  let testApp: TestApp;
  let second: TestApp;
  const call = (method: string, path: string, options?: Parameters<typeof http>[3], app = testApp) =>
    http(app.baseUrl, method, path, options);
  const query = <T>(sql: string, parameters: unknown[] = []) => testApp.app.get(DataSource).query(sql, parameters) as Promise<T[]>;

  async function createToken(role: 'viewer' | 'analyst' | 'admin', json: Record<string, unknown>) {
    const response = await call('POST', '/api/auth/tokens', { json, headers: await testApp.as(role) });
    expect(response.status).toBe(201);
    return response.body as { id: string; token: string };
  }

  beforeAll(async () => {
    testApp = await startTestApp({ rateLimits: { loginPerMinute: 0 } });
    second = await testApp.startAnotherInstance();
  });
  afterAll(async () => {
    await second?.close();
    await testApp?.close();
  });

  it('creates a token shown once, a viewer’s by default, that reads but does not write', async () => {
    const created = await createToken('analyst', { name: 'Notebook pull' });
    expect(Object.keys(created).sort()).toEqual(['id', 'token']);
    expect(created.token).toMatch(/^cl_[\w-]{43}$/);
    expect((await call('GET', '/api/commitments', { headers: bearer(created.token) })).status).toBe(200);
    expect((await call('GET', '/api/capacity', { headers: bearer(created.token) })).status).toBe(200);
    const me = await call('GET', '/api/auth/me', { headers: bearer(created.token) });
    expect(me.body).toEqual({ id: (await testApp.session('analyst')).user.id, email: 'analyst@ledger.test', role: 'viewer' });
    const write = await call('POST', '/api/companies', { json: { name: 'Token Lab' }, headers: bearer(created.token) });
    expect(write.status).toBe(403);
    expect(write.body.message).toBe('This needs the analyst role; you are viewer');

    const listed = await call('GET', '/api/auth/tokens', { headers: await testApp.as('analyst') });
    expect(listed.body).toEqual([
      {
        id: created.id,
        name: 'Notebook pull',
        role: 'viewer',
        owner: { id: me.body.id, email: 'analyst@ledger.test' },
        createdAt: expect.any(String),
        expiresAt: expect.any(String),
        lastUsedAt: expect.any(String),
      },
    ]);
    // 90 days unless asked otherwise.
    const lifetime = Date.parse(listed.body[0].expiresAt) - Date.parse(listed.body[0].createdAt);
    expect(lifetime).toBe(90 * 86_400_000);
    expect(JSON.stringify(listed.body)).not.toContain(created.token);
  });

  it('keeps only the SHA-256 of a token, never the token itself', async () => {
    const created = await createToken('viewer', { name: 'Hashed' });
    const [row] = await query<Record<string, unknown>>('SELECT * FROM api_tokens WHERE id = $1', [created.id]);
    expect((row.token_hash as Buffer).equals(createHash('sha256').update(created.token).digest())).toBe(true);
    const secret = created.token.slice(3);
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(Object.values(row).some((value) => Buffer.isBuffer(value) && value.toString('utf8').includes(secret))).toBe(false);
  });

  it('acts with its role, never above the owner’s current one, and asks for no more than the caller’s', async () => {
    const writer = await createToken('analyst', { name: 'Loader', role: 'analyst', expiresInDays: 30 });
    const write = () => call('POST', '/api/companies', { json: { name: `Loaded ${Math.random()}` }, headers: bearer(writer.token) });
    expect((await write()).status).toBe(201);
    expect((await call('GET', '/api/users', { headers: bearer(writer.token) })).status).toBe(403);

    const above = await call('POST', '/api/auth/tokens', {
      json: { name: 'Escalate', role: 'admin' },
      headers: await testApp.as('analyst'),
    });
    expect(above.status).toBe(403);
    expect(above.body.details).toEqual([{ field: 'role', messages: ['must be at most your own role (analyst)'] }]);

    // The owner demoted on one instance: the token acts as a viewer at once on the other.
    const analyst = await testApp.session('analyst');
    const admin = await testApp.as('admin');
    expect((await call('GET', '/api/companies', { headers: bearer(writer.token) }, second)).status).toBe(200);
    expect((await call('PATCH', `/api/users/${analyst.user.id}`, { json: { role: 'viewer' }, headers: admin })).status).toBe(200);
    const demoted = await call('POST', '/api/companies', { json: { name: 'Too late' }, headers: bearer(writer.token) }, second);
    expect(demoted.status).toBe(403);
    expect((await call('PATCH', `/api/users/${analyst.user.id}`, { json: { role: 'analyst' }, headers: admin })).status).toBe(200);
    expect((await write()).status).toBe(201);
  });

  it('validates the request, naming each field', async () => {
    const viewer = await testApp.as('viewer');
    const before = (await call('GET', '/api/auth/tokens', { headers: viewer })).body;
    const cases: [unknown, string, number][] = [
      [{}, 'name', 400],
      [{ name: '   ' }, 'name', 400],
      [{ name: 'x'.repeat(101) }, 'name', 400],
      [{ name: 'ok', role: 'owner' }, 'role', 400],
      [{ name: 'ok', role: 'analyst' }, 'role', 403],
      [{ name: 'ok', expiresInDays: 0 }, 'expiresInDays', 400],
      [{ name: 'ok', expiresInDays: 366 }, 'expiresInDays', 400],
      [{ name: 'ok', expiresInDays: 1.5 }, 'expiresInDays', 400],
      [{ name: 'ok', expiresInDays: '30' }, 'expiresInDays', 400],
      [{ name: 'ok', scope: 'everything' }, 'scope', 400],
    ];
    for (const [json, field, status] of cases) {
      const response = await call('POST', '/api/auth/tokens', { json, headers: viewer });
      expect([json, response.status, response.body.details?.map((detail: { field: string }) => detail.field)]).toEqual([
        json,
        status,
        [field],
      ]);
    }
    expect((await call('GET', '/api/auth/tokens', { headers: viewer })).body).toEqual(before);
  });

  it('lists the caller’s own tokens; an admin may list everyone’s', async () => {
    const own = await call('GET', '/api/auth/tokens', { headers: await testApp.as('viewer') });
    const viewerId = (await testApp.session('viewer')).user.id;
    expect(own.body.every((token: { owner: { id: string } }) => token.owner.id === viewerId)).toBe(true);
    const refused = await call('GET', '/api/auth/tokens?all=true', { headers: await testApp.as('analyst') });
    expect(refused.status).toBe(403);
    expect(refused.body.details[0].field).toBe('all');
    const all = await call('GET', '/api/auth/tokens?all=true', { headers: await testApp.as('admin') });
    expect(new Set(all.body.map((token: { owner: { email: string } }) => token.owner.email))).toEqual(
      new Set(['analyst@ledger.test', 'viewer@ledger.test']),
    );
    expect((await call('GET', '/api/auth/tokens', { headers: await testApp.as('admin') })).body).toEqual([]);
  });

  it('records the last use at most once a minute, not once per request', async () => {
    const created = await createToken('viewer', { name: 'Dashboard refresh' });
    const lastUse = async () =>
      (
        await query<{ last_used_at: Date | null; xmin: string }>('SELECT last_used_at, xmin FROM api_tokens WHERE id = $1', [created.id])
      )[0];
    expect((await lastUse()).last_used_at).toBeNull();
    expect((await call('GET', '/api/companies', { headers: bearer(created.token) })).status).toBe(200);
    const first = await lastUse();
    expect(Math.abs(first.last_used_at!.getTime() - Date.now())).toBeLessThan(10_000);
    for (let request = 0; request < 5; request++) {
      expect((await call('GET', '/api/companies', { headers: bearer(created.token) }, request % 2 ? second : testApp)).status).toBe(200);
    }
    // The same row version: no write since the first use, on either instance.
    expect(await lastUse()).toEqual(first);
  });

  it('stops a deleted token at once on every instance; only its owner or an admin may delete it', async () => {
    const created = await createToken('viewer', { name: 'Leaving soon' });
    const other = await createToken('analyst', { name: 'Someone else’s' });
    expect((await call('GET', '/api/companies', { headers: bearer(created.token) }, second)).status).toBe(200);

    const notTheirs = await call('DELETE', `/api/auth/tokens/${other.id}`, { headers: await testApp.as('viewer') });
    expect(notTheirs.status).toBe(404);
    expect((await call('GET', '/api/companies', { headers: bearer(other.token) })).status).toBe(200);

    const deleted = await call('DELETE', `/api/auth/tokens/${created.id}`, { headers: await testApp.as('viewer') });
    expect(deleted.status).toBe(204);
    const refused = await call('GET', '/api/companies', { headers: bearer(created.token) }, second);
    expect(refused.status).toBe(401);
    expect(refused.body.message).toBe('The API token is not valid (it may have been deleted)');
    expect((await call('GET', '/api/companies', { headers: bearer(created.token) })).status).toBe(401);
    expect((await call('DELETE', `/api/auth/tokens/${created.id}`, { headers: await testApp.as('viewer') })).status).toBe(404);

    expect((await call('DELETE', `/api/auth/tokens/${other.id}`, { headers: await testApp.as('admin') })).status).toBe(204);
    expect((await call('GET', '/api/companies', { headers: bearer(other.token) }, second)).status).toBe(401);
  });

  it('ends with its expiry, and while its owner is disabled', async () => {
    const expiring = await createToken('viewer', { name: 'Short-lived', expiresInDays: 1 });
    // A day later, as the database sees it (the token has not been used yet, so no instance remembers it).
    await query("UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1", [expiring.id]);
    const expired = await call('GET', '/api/companies', { headers: bearer(expiring.token) });
    expect(expired.status).toBe(401);
    expect(expired.body.message).toBe('The API token has expired');

    const user = await call('POST', '/api/users', {
      json: { email: 'contractor@ledger.test', password: 'a long enough password', role: 'analyst' },
      headers: await testApp.as('admin'),
    });
    const contractor = await testApp.login({ email: 'contractor@ledger.test', password: 'a long enough password' });
    const token = (await call('POST', '/api/auth/tokens', { json: { name: 'Contract work' }, headers: contractor.headers })).body.token;
    expect((await call('GET', '/api/companies', { headers: bearer(token) }, second)).status).toBe(200);
    await call('PATCH', `/api/users/${user.body.id}`, { json: { disabled: true }, headers: await testApp.as('admin') });
    const disabled = await call('GET', '/api/companies', { headers: bearer(token) }, second);
    expect(disabled.status).toBe(401);
    expect(disabled.body.message).toBe('This account is disabled');
  });

  it('cannot manage tokens or change a password, and its own logout deletes it', async () => {
    const created = await createToken('analyst', { name: 'Script', role: 'analyst' });
    for (const [method, path, json] of [
      ['POST', '/api/auth/tokens', { name: 'Another' }],
      ['GET', '/api/auth/tokens', undefined],
      ['DELETE', `/api/auth/tokens/${created.id}`, undefined],
      ['POST', '/api/auth/password', { currentPassword: 'analyst password for tests', newPassword: 'a token-chosen password' }],
    ] as const) {
      const response = await call(method, path, { json, headers: bearer(created.token) });
      expect([path, response.status, response.body.message]).toEqual([
        path,
        403,
        'An API token cannot do this: sign in (POST /api/auth/login)',
      ]);
    }
    expect((await call('POST', '/api/auth/logout', { headers: bearer(created.token) })).status).toBe(204);
    expect((await call('GET', '/api/companies', { headers: bearer(created.token) }, second)).status).toBe(401);
    expect((await query('SELECT 1 FROM api_tokens WHERE id = $1', [created.id])).length).toBe(0);
    // The password change it tried did not happen.
    expect(
      (await call('POST', '/api/auth/login', { json: { email: 'analyst@ledger.test', password: 'analyst password for tests' } })).status,
    ).toBe(200);
  });
});
