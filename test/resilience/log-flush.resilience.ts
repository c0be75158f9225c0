import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppProcess } from './support/app-process.js';
import { ScratchPostgres } from './support/scratch-postgres.js';

describe('the log on shutdown', () => {
  let postgres: ScratchPostgres;

  beforeAll(async () => {
    postgres = await ScratchPostgres.create();
  });
  afterAll(() => postgres?.destroy());

  it('writes out every request line, written asynchronously, before the process exits on SIGTERM', async () => {
    const databaseUrl = await postgres.createDatabase('ledger_log_flush');
    const app = await startAppProcess({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'log' });
    const ids = Array.from({ length: 300 }, (_, index) => `flush-${index}`);
    for (let start = 0; start < ids.length; start += 30) {
      const batch = ids.slice(start, start + 30);
      const statuses = await Promise.all(
        batch.map(async (id) => (await fetch(`${app.baseUrl}/api/health`, { headers: { 'x-request-id': id } })).status),
      );
      expect(statuses.every((status) => status === 200)).toBe(true);
    }
    // The signal comes at once after the last answer: whatever pino still holds must be written before the exit.
    app.child.kill('SIGTERM');
    expect(await app.exited).toBe(0);
    const entries = app
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const logged = new Set(entries.filter((entry) => entry.context === 'HTTP').map((entry) => entry.requestId));
    expect(ids.filter((id) => !logged.has(id))).toEqual([]);
    expect(entries).toContainEqual(expect.objectContaining({ level: 'info', context: 'Main', msg: expect.stringMatching(/^SIGTERM: /) }));
  });
});
