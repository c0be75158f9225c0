import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectPath } from '../../src/common/project-root.js';
import { type AppProcess, startAppProcess } from './support/app-process.js';
import { commitmentBody, LedgerClient } from './support/ledger-client.js';
import { postgresBinaries, ScratchPostgres } from './support/scratch-postgres.js';

/** Everything a manager's figures rest on, in a comparable form. */
async function ledgerSnapshot(app: AppProcess): Promise<unknown> {
  const client = await LedgerClient.signIn(app.baseUrl);
  const commitments = await client.request('GET', '/api/commitments?limit=500&sort=announcedOn');
  const companies = await client.request('GET', '/api/companies');
  const chips = await client.request('GET', '/api/accelerators');
  return { commitments: commitments.body, companies: companies.body, chips: chips.body };
}

async function addWrites(app: AppProcess): Promise<void> {
  const client = await LedgerClient.signIn(app.baseUrl);
  const companyId = await client.companyId('Backed Up Compute');
  const chipId = await client.chipId('TPU v6e');
  for (let index = 0; index < 5; index++) {
    const created = await client.request(
      'POST',
      '/api/commitments',
      commitmentBody(companyId, chipId, `backup-${index}`, 1000 * (index + 1)),
    );
    expect(created.status).toBe(201);
  }
}

async function stopApp(app: AppProcess): Promise<void> {
  app.child.kill('SIGTERM');
  expect(await app.exited).toBe(0);
}

function runScript(script: string, args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [projectPath('dist/scripts', script), ...args], {
    cwd: projectPath(),
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('backups', () => {
  const folders: string[] = [];
  const folder = (prefix: string) => {
    const created = mkdtempSync(join(tmpdir(), prefix));
    folders.push(created);
    return created;
  };
  afterAll(() => folders.forEach((created) => rmSync(created, { recursive: true, force: true })));

  it('restores an embedded backup into an empty data folder with identical figures', async () => {
    const original = folder('ledger-backup-a-');
    const restored = folder('ledger-backup-b-');
    const archive = join(folder('ledger-backup-file-'), 'ledger.tar.gz');

    const first = await startAppProcess({ DATA_DIR: original });
    await addWrites(first);
    const before = await ledgerSnapshot(first);
    const whileRunning = runScript('db-backup.js', [archive], { DATA_DIR: original });
    expect(whileRunning.status).not.toBe(0);
    expect(whileRunning.output).toContain('in use by process');
    await stopApp(first);

    const backup = runScript('db-backup.js', [archive], { DATA_DIR: original });
    expect(backup.status, backup.output).toBe(0);
    const restore = runScript('db-restore.js', [archive], { DATA_DIR: restored });
    expect(restore.status, restore.output).toBe(0);
    expect(restore.output).toContain('20 commitments');
    const again = runScript('db-restore.js', [archive], { DATA_DIR: restored });
    expect(again.status).not.toBe(0);

    const second = await startAppProcess({ DATA_DIR: restored });
    expect(await ledgerSnapshot(second)).toEqual(before);
    await stopApp(second);
  });

  describe('a PostgreSQL server', () => {
    let postgres: ScratchPostgres;
    beforeAll(async () => {
      postgres = await ScratchPostgres.create();
    });
    afterAll(() => postgres?.destroy());

    it('restores a pg_dump into an empty database with identical figures', async () => {
      const sourceUrl = await postgres.createDatabase('ledger_source');
      const first = await startAppProcess({ DATABASE_URL: sourceUrl, DEMO_DATA: 'true' });
      await addWrites(first);
      const before = await ledgerSnapshot(first);
      await stopApp(first);

      const dump = join(folder('ledger-pgdump-'), 'ledger.dump');
      const bin = postgresBinaries() as string;
      const dumped = spawnSync(join(bin, 'pg_dump'), ['-Fc', '-f', dump, sourceUrl], { encoding: 'utf8' });
      expect(dumped.status, dumped.stderr).toBe(0);
      const targetUrl = await postgres.createDatabase('ledger_restored');
      const restored = spawnSync(join(bin, 'pg_restore'), ['--no-owner', '-d', targetUrl, dump], { encoding: 'utf8' });
      expect(restored.status, restored.stderr).toBe(0);

      const second = await startAppProcess({ DATABASE_URL: targetUrl });
      expect(await ledgerSnapshot(second)).toEqual(before);
      await stopApp(second);
    });
  });
});
