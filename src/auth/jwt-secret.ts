import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { assertPrivateFile, ensurePrivateDir } from '../common/private-files.js';
import { EnvironmentError } from '../config/environment.js';

const SECRET_FILE = 'jwt-secret';

/**
 * The key that signs tokens: JWT_SECRET when set; in the embedded default, a key generated on the first start and
 * kept in DATA_DIR (0700, the file 0600), so tokens survive restarts; a key file others can read stops the start. With a database server and no JWT_SECRET the start
 * stops: instances behind one load balancer must share the key, and a per-instance key would break that silently.
 */
export function resolveJwtSecret(options: { jwtSecret?: string; embedded: boolean; dataDir: string }): string {
  if (options.jwtSecret) return options.jwtSecret;
  if (!options.embedded) {
    throw new EnvironmentError(
      'Invalid environment:\n  JWT_SECRET: required with DATABASE_URL (at least 32 characters, the same on every instance; e.g. openssl rand -base64 48)',
    );
  }
  const folder = resolve(options.dataDir);
  const path = join(folder, SECRET_FILE);
  ensurePrivateDir(folder);
  try {
    writeFileSync(path, randomBytes(48).toString('base64'), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  assertPrivateFile(path);
  const secret = readFileSync(path, 'utf8').trim();
  if (secret.length < 32) throw new EnvironmentError(`${path} holds no usable key: delete it to have a new one generated`);
  return secret;
}
