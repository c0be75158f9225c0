export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');

export interface AuthOptions {
  /** HMAC key for HS256 tokens. */
  jwtSecret: string;
  /** How long a sign-in lasts, in seconds (JWT_TTL): its access tokens and refresh cookie end with it. */
  tokenTtlSeconds: number;
  /** Opens the read-only dashboard routes (marked `@PublicRead()`) to callers without a token. */
  publicRead: boolean;
}
