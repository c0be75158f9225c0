import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SecretBox, signatureMatches, signBody } from './webhook-crypto.js';

describe('webhook signatures', () => {
  it('are the hex HMAC-SHA256 of the body with the secret, after sha256=', () => {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    expect(signBody('what do ya want for nothing?', 'Jefe')).toBe(
      'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('match their own body and secret only', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), (body, secret) => {
        const header = signBody(body, secret);
        expect(signatureMatches(body, secret, header)).toBe(true);
        expect(signatureMatches(`${body}x`, secret, header)).toBe(false);
        expect(signatureMatches(body, `${secret}x`, header)).toBe(false);
      }),
    );
    expect(signatureMatches('{}', 'secret', undefined)).toBe(false);
  });
});

describe('sealed webhook secrets', () => {
  it('open to the secret with the same app key, and never hold it in clear', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 16, maxLength: 200 }), (secret) => {
        const box = new SecretBox('an app key of at least thirty-two characters');
        const sealed = box.seal(secret);
        expect(sealed).not.toContain(Buffer.from(secret).toString('base64url'));
        expect(box.open(sealed)).toBe(secret);
      }),
    );
  });

  it('do not open with another app key', () => {
    const sealed = new SecretBox('an app key of at least thirty-two characters').seal('s3cret-for-the-receiver');
    expect(() => new SecretBox('another app key, also thirty-two characters').open(sealed)).toThrow();
  });
});
