// npm run db:backup -- <file>: a consistent copy of the embedded database (DATA_DIR) as a gzipped tarball.
// The server must be stopped: PGlite serves one process at a time. For a PostgreSQL server use pg_dump (README).
// The file is written 0600 (it holds every password hash), never through a symbolic link.
import { PGlite } from '@electric-sql/pglite';
import { existsSync } from 'node:fs';
import { UnsafeFileError, writePrivateFile } from '../src/common/private-files.js';
import { claimDataDir, pgliteDir } from '../src/database/embedded-database.js';
import { loadEnvironment } from '../src/config/environment.js';

const environment = loadEnvironment();
const target = process.argv[2];
if (!target) {
  console.error('usage: npm run db:backup -- <file.tar.gz>');
  process.exit(2);
}
if (environment.DATABASE_URL) {
  console.error('DATABASE_URL is set: back up a PostgreSQL server with pg_dump -Fc (see the README).');
  process.exit(2);
}
if (!existsSync(pgliteDir(environment.DATA_DIR))) {
  console.error(`no embedded database in ${environment.DATA_DIR}`);
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
  const db = await PGlite.create({ dataDir: pgliteDir(environment.DATA_DIR) });
  const archive = await db.dumpDataDir('gzip');
  await db.close();
  try {
    writePrivateFile(target, Buffer.from(await archive.arrayBuffer()));
  } catch (error) {
    if (!(error instanceof UnsafeFileError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  }
  if (!process.exitCode) console.log(`backup of ${environment.DATA_DIR} written to ${target} (${archive.size} bytes)`);
} finally {
  release();
}
