export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');

export interface AuthOptions {
  /** HMAC key for HS256 tokens. */
  jwtSecret: string;
  /** Token lifetime in seconds. */
  tokenTtlSeconds: number;
  /** Opens the read-only dashboard routes (marked `@PublicRead()`) to callers without a token. */
  publicRead: boolean;
}
