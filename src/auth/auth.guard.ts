import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  HttpStatus,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { DomainError } from '../common/errors.js';
import { VersionsService } from '../database/versions.js';
import { PASSWORD_CHANGE_REQUIRED } from '../contracts/auth.js';
import { IS_PUBLIC, IS_PUBLIC_READ, OPEN_BEFORE_PASSWORD_CHANGE, REQUIRED_ROLE, SESSION_ONLY } from './auth.decorators.js';
import { AUTH_OPTIONS, type AuthOptions } from './auth.options.js';
import { AuthService } from './auth.service.js';
import { type Role, roleAtLeast } from '../domain/roles.js';

const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * The one place that decides who may call what. Every route needs a valid bearer token unless it is `@Public()`
 * (or `@PublicRead()` with PUBLIC_READ on); the role needed is `@RequiredRole()`'s, else `viewer` to read and
 * `analyst` to write. The token is checked against the auth version the request reads (shared with the capacity
 * answers' ledger version), so a revocation anywhere applies at the next request everywhere.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly versions: VersionsService,
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    const reading = READ_METHODS.has(request.method);

    const token = bearerToken(request);
    if (token === undefined) {
      if (reading && this.options.publicRead && this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_READ, targets)) return true;
      response.setHeader('WWW-Authenticate', 'Bearer');
      throw new UnauthorizedException('Log in first: this route needs a bearer token (POST /api/auth/login)');
    }
    let principal;
    try {
      principal = await this.auth.authenticate(token, (await this.versions.of(request)).auth);
    } catch (error) {
      if (error instanceof UnauthorizedException) response.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw error;
    }
    request.user = principal.user;
    request.credential = principal.credential;
    if (principal.passwordChangeRequired && !this.reflector.getAllAndOverride<boolean>(OPEN_BEFORE_PASSWORD_CHANGE, targets)) {
      throw new DomainError(HttpStatus.FORBIDDEN, 'Choose a new password first (POST /api/auth/password)', undefined, {
        code: PASSWORD_CHANGE_REQUIRED,
      });
    }
    if (principal.credential.kind !== 'session' && this.reflector.getAllAndOverride<boolean>(SESSION_ONLY, targets)) {
      throw new ForbiddenException('An API token cannot do this: sign in (POST /api/auth/login)');
    }
    const required = this.reflector.getAllAndOverride<Role>(REQUIRED_ROLE, targets) ?? (reading ? 'viewer' : 'analyst');
    if (!roleAtLeast(principal.user.role, required)) {
      throw new ForbiddenException(`This needs the ${required} role; you are ${principal.user.role}`);
    }
    return true;
  }
}

/** The token of an `Authorization: Bearer …` header; undefined without the header, 401 for any other scheme. */
function bearerToken(request: Request): string | undefined {
  const header = request.header('authorization');
  if (header === undefined || header === '') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new UnauthorizedException('The Authorization header must be "Bearer <token>"');
  return match[1];
}
