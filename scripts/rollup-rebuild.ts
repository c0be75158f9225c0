// Recomputes the capacity rollup from the commitments (after loading rows by hand, or to check it): `npm run rollup:rebuild`.
// Uses DATABASE_URL, or the embedded PostgreSQL in DATA_DIR like `npm start`.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { rebuildCapacityRollup } from '../src/database/capacity-rollup.js';
import { EnvironmentError, loadEnvironment } from '../src/config/environment.js';
import { buildDataSourceOptions } from '../src/data-source-options.js';
import { EmbeddedDatabase } from '../src/database/embedded-database.js';

async function main(): Promise<void> {
  const environment = loadEnvironment();
  const embedded = environment.DATABASE_URL ? null : new EmbeddedDatabase({ dataDir: environment.DATA_DIR });
  const dataSource = new DataSource(buildDataSourceOptions(environment.DATABASE_URL ?? (await embedded!.start()), 1));
  try {
    await dataSource.initialize();
    await dataSource.runMigrations();
    const started = Date.now();
    const rows = await dataSource.transaction((manager) => rebuildCapacityRollup(manager));
    console.log(`capacity rollup rebuilt: ${rows} rows in ${Date.now() - started} ms`);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof EnvironmentError ? error.message : error);
  process.exit(1);
});
