import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isApiToken,
  newApiToken,
  newSecret,
  parseRefreshToken,
  refreshToken,
  sameDigest,
  sha256,
  wellFormedApiToken,
} from './credentials.js';

const SESSION = '6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f';

describe('credentials', () => {
  it('makes API tokens of 256 random bits behind a prefix that no JWT starts with', () => {
    const tokens = new Set(Array.from({ length: 100 }, newApiToken));
    expect(tokens.size).toBe(100);
    for (const token of tokens) {
      expect(token).toMatch(/^cl_[A-Za-z0-9_-]{43}$/);
      expect(isApiToken(token) && wellFormedApiToken(token)).toBe(true);
      expect(Buffer.from(token.slice(3), 'base64url')).toHaveLength(32);
    }
    expect(isApiToken('eyJhbGciOiJIUzI1NiJ9.e30.signature')).toBe(false);
    expect(wellFormedApiToken('cl_short')).toBe(false);
    expect(wellFormedApiToken(`cl_${'a'.repeat(42)}!`)).toBe(false);
  });

  it('reads back every refresh token it writes, and nothing else', () => {
    const secret = newSecret();
    expect(parseRefreshToken(refreshToken(SESSION, secret))).toEqual({ sessionId: SESSION, secret });
    for (const text of [
      '',
      SESSION,
      `${SESSION}.`,
      `${SESSION}.${secret}.x`,
      `not-a-uuid.${secret}`,
      `${SESSION}.${secret.slice(1)}`,
      `${SESSION}.${secret.slice(1)}=`,
    ]) {
      expect([text, parseRefreshToken(text)]).toEqual([text, null]);
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (text) => {
        const parsed = parseRefreshToken(text);
        return parsed === null || refreshToken(parsed.sessionId, parsed.secret) === text;
      }),
    );
  });

  it('compares digests in constant time, a missing one never matching', () => {
    expect(sameDigest(sha256('a'), sha256('a'))).toBe(true);
    expect(sameDigest(sha256('a'), sha256('b'))).toBe(false);
    expect(sameDigest(sha256('a'), null)).toBe(false);
    expect(sameDigest(sha256('a'), Buffer.alloc(3))).toBe(false);
    expect(sha256('abc').toString('hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
