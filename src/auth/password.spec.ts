import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password.js';

describe('password hashing', () => {
  it('stores the scrypt parameters and a random salt with the key', async () => {
    const first = await hashPassword('correct horse battery');
    const second = await hashPassword('correct horse battery');
    expect(first).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{88}$/);
    expect(first).not.toBe(second);
  });

  it('accepts the right password and refuses a wrong one or a malformed hash', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
    expect(await verifyPassword('correct horse battery', 'plain-text')).toBe(false);
    expect(await verifyPassword('correct horse battery', stored.replace('scrypt$32768', 'scrypt$0'))).toBe(false);
  });

  it('verifies with the cost written in the hash, not the current default', async () => {
    const stored = await hashPassword('cheap hash');
    const [, , , , salt] = stored.split('$');
    const { scryptSync } = await import('node:crypto');
    const cheap = `scrypt$1024$8$1$${salt}$${scryptSync('cheap hash', Buffer.from(salt, 'base64'), 64, { N: 1024, r: 8, p: 1 }).toString('base64')}`;
    expect(await verifyPassword('cheap hash', cheap)).toBe(true);
  });
});
