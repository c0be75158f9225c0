import { chmodSync, closeSync, constants, fchmodSync, fstatSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';

/** A file or folder of the service that others on the machine could read or open. */
export class UnsafeFileError extends Error {}

const OTHERS = 0o077;
const mode = (bits: number) => `0${(bits & 0o777).toString(8)}`;

/**
 * Creates `path` (and missing parents) readable by this user only, and tightens an existing folder to 0700: the data
 * folder holds the database, the signing key and the embedded database's socket.
 */
export function ensurePrivateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  const stats = statSync(path);
  if (!stats.isDirectory()) throw new UnsafeFileError(`${path} is not a folder`);
  if ((stats.mode & OTHERS) !== 0) {
    try {
      // chmod follows a symbolic link: DATA_DIR may be a link to the folder that holds the data.
      chmodSync(path, 0o700);
    } catch {
      throw new UnsafeFileError(`${path} is open to other users (mode ${mode(stats.mode)}) and cannot be changed: run chmod 700 ${path}`);
    }
  }
}

/** Refuses a secret file that users other than its owner can read or write. */
export function assertPrivateFile(path: string): void {
  const stats = statSync(path);
  if ((stats.mode & OTHERS) !== 0) {
    throw new UnsafeFileError(
      `${path} is readable by other users (mode ${mode(stats.mode)}): run chmod 600 ${path}, and replace the secret if others may have read it`,
    );
  }
}

/**
 * Writes `data` to `path` as a file only its owner can read (0600), never through a symbolic link: a link planted
 * where a backup is written could otherwise point it at any file the user can write.
 */
export function writePrivateFile(path: string, data: Uint8Array | string): void {
  let descriptor: number;
  try {
    descriptor = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') {
      throw new UnsafeFileError(`${path} is a symbolic link: refusing to write through it (remove it or choose another file)`);
    }
    throw error;
  }
  try {
    if (!fstatSync(descriptor).isFile()) throw new UnsafeFileError(`${path} is not a regular file`);
    // An existing file keeps its mode on open: make it private before anything is written into it.
    fchmodSync(descriptor, 0o600);
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    for (let written = 0; written < bytes.length;) written += writeSync(descriptor, bytes, written);
  } finally {
    closeSync(descriptor);
  }
}
