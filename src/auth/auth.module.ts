import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import { ApiTokensController } from './api-tokens.controller.js';
import { ApiTokensService } from './api-tokens.service.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AUTH_OPTIONS, type AuthOptions } from './auth.options.js';
import { AuthService } from './auth.service.js';
import { LoginLimit } from './login-limit.js';
import { RATE_LIMIT_OPTIONS, RateLimitGuard, rateLimitModule, type RateLimitOptions } from './rate-limit.js';
import { SessionsService } from './sessions.service.js';

@Module({})
export class AuthModule {
  static register(options: AuthOptions & { rateLimits: RateLimitOptions }): DynamicModule {
    const { rateLimits, ...auth } = options;
    return {
      module: AuthModule,
      imports: [
        rateLimitModule(rateLimits),
        JwtModule.register({
          // A key object rather than the string: given a string, jsonwebtoken first tries to read it as a PEM public
          // key on every verification, and that failed parse cost about a tenth of a signed-in request's time.
          secret: createSecretKey(Buffer.from(auth.jwtSecret)),
          signOptions: { algorithm: 'HS256' },
          verifyOptions: { algorithms: ['HS256'] },
        }),
      ],
      controllers: [AuthController, ApiTokensController],
      providers: [
        { provide: AUTH_OPTIONS, useValue: auth },
        { provide: RATE_LIMIT_OPTIONS, useValue: rateLimits },
        AuthService,
        SessionsService,
        ApiTokensService,
        LoginLimit,
        // Guards run in this order: the rate limit first, so floods are refused before any token is checked.
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
    };
  }
}
