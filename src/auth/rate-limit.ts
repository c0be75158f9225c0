import { type DynamicModule, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { ThrottlerException, ThrottlerGuard, type ThrottlerLimitDetail, ThrottlerModule } from '@nestjs/throttler';
import type { Response } from 'express';

export const RATE_LIMIT_OPTIONS = Symbol('RATE_LIMIT_OPTIONS');

export interface RateLimitOptions {
  /** Requests per client and minute over the whole API; 0 turns the limit off. */
  perMinute: number;
  /** Login attempts (and password changes) per client and minute; 0 turns the limit off. */
  loginPerMinute: number;
  /** Password checks that failed per account and window, over every instance and address (LoginLimit); 0 turns it off. */
  loginFailuresPerAccount: number;
  loginFailureWindowSeconds: number;
}

const LOGIN_LIMITED = 'rate-limit:login';
const MINUTE_MS = 60_000;

/** Counts the route against the login limit (per client address) instead of the API limit. */
export const LoginRateLimit = () => SetMetadata(LOGIN_LIMITED, true);

const isLogin = (context: ExecutionContext): boolean => Reflect.getMetadata(LOGIN_LIMITED, context.getHandler()) === true;

/** Per client (IP address) and minute, in memory: each instance counts its own clients. */
export function rateLimitModule(options: RateLimitOptions): DynamicModule {
  return ThrottlerModule.forRoot({
    throttlers: [
      { name: 'default', ttl: MINUTE_MS, limit: options.perMinute, skipIf: (context) => options.perMinute === 0 || isLogin(context) },
      {
        name: 'login',
        ttl: MINUTE_MS,
        limit: options.loginPerMinute,
        skipIf: (context) => options.loginPerMinute === 0 || !isLogin(context),
      },
    ],
    // One count per client over all routes, not one per route.
    generateKey: (_context, tracker, name) => `${name}:${tracker}`,
  });
}

/** The throttler's guard, answering 429 with a plain `Retry-After` (seconds) whichever limit was hit. */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(detail.timeToBlockExpire));
    throw new ThrottlerException(`Too many requests: try again in ${detail.timeToBlockExpire} s`);
  }
}
