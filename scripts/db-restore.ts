// npm run db:restore -- <file>: puts a backup made by db:backup into DATA_DIR, which must hold no database yet
// (move an existing one aside first). The server must be stopped. For a PostgreSQL server use pg_restore (README).
import { PGlite } from '@electric-sql/pglite';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { claimDataDir, pgliteDir } from '../src/database/embedded-database.js';
import { loadEnvironment } from '../src/config/environment.js';

const environment = loadEnvironment();
const source = process.argv[2];
if (!source || !existsSync(source)) {
  console.error('usage: npm run db:restore -- <file.tar.gz> (a file made by npm run db:backup)');
  process.exit(2);
}
if (environment.DATABASE_URL) {
  console.error('DATABASE_URL is set: restore a PostgreSQL server with pg_restore (see the README).');
  process.exit(2);
}
const dataDir = pgliteDir(environment.DATA_DIR);
if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
  console.error(`${dataDir} already holds a database: move it aside first, so nothing is overwritten`);
  process.exit(2);
}
let release: () => void;
try {
  release = claimDataDir(environment.DATA_DIR);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
try {
  const db = await PGlite.create({ dataDir, loadDataDir: new Blob([readFileSync(source)]) });
  const [{ count }] = (await db.query<{ count: number }>('SELECT count(*)::int AS count FROM commitments')).rows;
  await db.close();
  console.log(`restored ${source} into ${environment.DATA_DIR}: ${count} commitments`);
} finally {
  release();
}
