import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvironmentError } from '../config/environment.js';
import { resolveJwtSecret } from './jwt-secret.js';

describe('resolveJwtSecret', () => {
  it('uses JWT_SECRET when set, embedded or not', () => {
    const secret = 'x'.repeat(40);
    expect(resolveJwtSecret({ jwtSecret: secret, embedded: false, dataDir: '/nonexistent' })).toBe(secret);
  });

  it('refuses to start on a database server without JWT_SECRET', () => {
    expect(() => resolveJwtSecret({ embedded: false, dataDir: '/nonexistent' })).toThrow(EnvironmentError);
    expect(() => resolveJwtSecret({ embedded: false, dataDir: '/nonexistent' })).toThrow(/JWT_SECRET: required with DATABASE_URL/);
  });

  it('generates a key once in the embedded data folder, readable by its owner only, and reuses it', () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'ledger-secret-')), 'data');
    const first = resolveJwtSecret({ embedded: true, dataDir });
    const second = resolveJwtSecret({ embedded: true, dataDir });
    expect(first).toHaveLength(64);
    expect(second).toBe(first);
    expect(readFileSync(join(dataDir, 'jwt-secret'), 'utf8')).toBe(first);
    expect(statSync(join(dataDir, 'jwt-secret')).mode & 0o777).toBe(0o600);
  });
});
