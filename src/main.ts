import { Logger } from '@nestjs/common';
import { createApp } from './app.js';
import { drainRequests } from './common/draining.js';
import { EmbeddedDatabase } from './database/embedded-database.js';
import { EnvironmentError, loadEnvironment } from './config/environment.js';

/** How long a shutdown waits for the requests in flight. */
const SHUTDOWN_GRACE_MS = 15_000;

async function main(): Promise<void> {
  const environment = loadEnvironment();
  const logger = new Logger('Main');
  const embedded = environment.DATABASE_URL
    ? null
    : new EmbeddedDatabase({ dataDir: environment.DATA_DIR, maxConnections: environment.DATABASE_POOL_SIZE });
  if (embedded) logger.log(`no DATABASE_URL: starting the embedded PostgreSQL with its data in ${environment.DATA_DIR}`);
  const databaseUrl = environment.DATABASE_URL ?? (await embedded!.start());

  const app = await createApp({
    databaseUrl,
    poolSize: environment.DATABASE_POOL_SIZE,
    // The demo data loads on the first start of the embedded default, or on a server only when asked.
    demoData: environment.DEMO_DATA ?? embedded !== null,
    logLevel: environment.LOG_LEVEL,
  });
  const shutdown = async (signal: string) => {
    logger.log(`${signal}: finishing requests in flight, then closing the database`);
    await drainRequests(SHUTDOWN_GRACE_MS);
    await app.close();
    await embedded?.stop();
    process.exit(0);
  };
  process.once('SIGINT', (signal) => void shutdown(signal));
  process.once('SIGTERM', (signal) => void shutdown(signal));
  await app.listen(environment.PORT);
  logger.log(`Compute Ledger serves http://localhost:${environment.PORT} (API docs at /api/docs)`);
}

main().catch((error: unknown) => {
  if (error instanceof EnvironmentError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
