import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** API tokens start with this, so they are told apart from access tokens (JWTs start with `eyJ`) without a lookup. */
export const API_TOKEN_PREFIX = 'cl_';

const SECRET_BYTES = 32;
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** 256 random bits, URL-safe: enough that a stored SHA-256 needs no salt or slow hash to protect it. */
export function newSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

export function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export function sameDigest(a: Buffer, b: Buffer | null): boolean {
  return b !== null && a.length === b.length && timingSafeEqual(a, b);
}

export const newApiToken = (): string => `${API_TOKEN_PREFIX}${newSecret()}`;

export const isApiToken = (token: string): boolean => token.startsWith(API_TOKEN_PREFIX);

/** Whether an API token has the shape this service makes: anything else is refused without a lookup. */
export const wellFormedApiToken = (token: string): boolean =>
  token.startsWith(API_TOKEN_PREFIX) && SECRET_PATTERN.test(token.slice(API_TOKEN_PREFIX.length));

/** A refresh token names its session and carries the secret whose digest the session keeps: `<session id>.<secret>`. */
export const refreshToken = (sessionId: string, secret: string): string => `${sessionId}.${secret}`;

export function parseRefreshToken(token: string): { sessionId: string; secret: string } | null {
  const [sessionId, secret, ...rest] = token.split('.');
  if (rest.length > 0 || !UUID_PATTERN.test(sessionId ?? '') || !SECRET_PATTERN.test(secret ?? '')) return null;
  return { sessionId, secret };
}
