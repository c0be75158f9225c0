import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/** The header a delivery's signature travels in. */
export const SIGNATURE_HEADER = 'X-Ledger-Signature';

/** `sha256=<hex HMAC-SHA256 of the body, keyed with the webhook's secret>`, the value of X-Ledger-Signature. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** Whether a signature header matches the body (in constant time), as a receiver checks it. */
export function signatureMatches(body: string, secret: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(body, secret));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** A random secret for a webhook created without one: 32 bytes, base64url. */
export function newWebhookSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Keeps webhook secrets encrypted at rest with a key derived from the app's own (the token-signing key, JWT_SECRET
 * or the embedded default's key file): AES-256-GCM, a fresh nonce per secret, `v1.<nonce>.<tag>.<ciphertext>` in
 * base64url. A database copy alone does not give the secrets away; changing the app's key makes them unreadable
 * (their webhooks then need creating again).
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(appKey: string) {
    this.key = Buffer.from(hkdfSync('sha256', appKey, 'compute-ledger', 'webhook secrets', 32));
  }

  seal(secret: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return ['v1', nonce, cipher.getAuthTag(), ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  open(sealed: string): string {
    const [version, nonce, tag, ciphertext] = sealed.split('.');
    if (version !== 'v1' || !nonce || !tag || ciphertext === undefined) throw new Error('not a sealed webhook secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(nonce, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }
}
