import { Logger } from '@nestjs/common';
import { createApp } from './app.js';
import { resolveJwtSecret } from './auth/jwt-secret.js';
import { drainRequests } from './common/draining.js';
import { createLogger } from './common/logger.js';
import { UnsafeFileError } from './common/private-files.js';
import { corsOrigins, durationSeconds, EnvironmentError, listenHost, loadEnvironment, readReplicaUrls } from './config/environment.js';
import { EMBEDDED_POOL_SIZE, EmbeddedDatabase } from './database/embedded-database.js';

/** How long a shutdown waits for the requests in flight. */
const SHUTDOWN_GRACE_MS = 15_000;

async function main(): Promise<void> {
  const environment = loadEnvironment();
  const log = createLogger(environment.LOG_LEVEL);
  Logger.overrideLogger(log);
  const logger = new Logger('Main');
  const jwtSecret = resolveJwtSecret({
    jwtSecret: environment.JWT_SECRET,
    embedded: !environment.DATABASE_URL,
    dataDir: environment.DATA_DIR,
  });
  const embedded = environment.DATABASE_URL ? null : new EmbeddedDatabase({ dataDir: environment.DATA_DIR });
  if (embedded) logger.log(`no DATABASE_URL: starting the embedded PostgreSQL with its data in ${environment.DATA_DIR}`);
  const databaseUrl = environment.DATABASE_URL ?? (await embedded!.start());

  // The demo data loads on the first start of the embedded default, or on a server only when asked.
  const demoData = environment.DEMO_DATA ?? embedded !== null;
  const app = await createApp({
    databaseUrl,
    readReplicaUrls: readReplicaUrls(environment),
    poolSize: embedded ? EMBEDDED_POOL_SIZE : environment.DATABASE_POOL_SIZE,
    demoData,
    // A generated first password is printed only where the log reaches just the person running the embedded default.
    firstAdmin: { email: environment.ADMIN_EMAIL, password: environment.ADMIN_PASSWORD, printGeneratedPassword: embedded !== null },
    // Demo accounts only where their printed passwords reach the one person running the embedded default.
    demoAccounts: demoData && embedded !== null,
    auth: { jwtSecret, tokenTtlSeconds: durationSeconds(environment.JWT_TTL), publicRead: environment.PUBLIC_READ ?? embedded !== null },
    rateLimits: {
      perMinute: environment.RATE_LIMIT_PER_MINUTE,
      loginPerMinute: environment.LOGIN_RATE_LIMIT_PER_MINUTE,
      loginFailuresPerAccount: environment.LOGIN_FAILURES_PER_ACCOUNT,
      loginFailureWindowSeconds: durationSeconds(environment.LOGIN_FAILURE_WINDOW),
    },
    corsOrigins: corsOrigins(environment),
    trustProxy: environment.TRUST_PROXY,
    logger: log,
  });
  const shutdown = async (signal: string) => {
    logger.log(`${signal}: finishing requests in flight, then closing the database`);
    await drainRequests(SHUTDOWN_GRACE_MS);
    await app.close();
    await embedded?.stop();
    log.flush();
    process.exit(0);
  };
  process.once('SIGINT', (signal) => void shutdown(signal));
  process.once('SIGTERM', (signal) => void shutdown(signal));
  const host = listenHost(environment);
  await app.listen(environment.PORT, host);
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  logger.log(`Compute Ledger serves http://${shown}:${environment.PORT} on ${host} (API docs at /api/docs)`);
}

main().catch((error: unknown) => {
  if (error instanceof EnvironmentError || error instanceof UnsafeFileError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
