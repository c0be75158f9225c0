import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../src/data-source-options.js';
import { EMBEDDED_POOL_SIZE, EmbeddedDatabase } from '../../src/database/embedded-database.js';

export interface TestDatabase {
  url: string;
  /** Connections the app may open: one on the embedded engine, a few on a server. */
  poolSize: number;
  drop(): Promise<void>;
}

/**
 * A database of this test run's own, with the real migrations applied: a fresh database on the server named by
 * TEST_DATABASE_URL (created here, dropped afterwards), else a fresh in-memory embedded PostgreSQL.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  let database: TestDatabase;
  if (serverUrl) {
    const name = `ledger_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    database = {
      url: url.toString(),
      poolSize: 4,
      drop: async () => {
        const client = new pg.Client({ connectionString: serverUrl });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.end();
      },
    };
  } else {
    const embedded = new EmbeddedDatabase({});
    database = { url: await embedded.start(), poolSize: EMBEDDED_POOL_SIZE, drop: () => embedded.stop() };
  }
  const dataSource = new DataSource(buildDataSourceOptions(database.url, 1));
  await dataSource.initialize();
  await dataSource.runMigrations();
  await dataSource.destroy();
  return database;
}
