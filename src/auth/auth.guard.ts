import { type CanActivate, type ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { IS_PUBLIC, IS_PUBLIC_READ, REQUIRED_ROLE } from './auth.decorators.js';
import { AUTH_OPTIONS, type AuthOptions } from './auth.options.js';
import { AuthService } from './auth.service.js';
import { type Role, roleAtLeast } from './roles.js';

const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * The one place that decides who may call what. Every route needs a valid bearer token unless it is `@Public()`
 * (or `@PublicRead()` with PUBLIC_READ on); the role needed is `@RequiredRole()`'s, else `viewer` to read and
 * `analyst` to write.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
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
    try {
      request.user = await this.auth.authenticate(token);
    } catch (error) {
      response.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw error;
    }
    const required = this.reflector.getAllAndOverride<Role>(REQUIRED_ROLE, targets) ?? (reading ? 'viewer' : 'analyst');
    if (!roleAtLeast(request.user.role, required)) {
      throw new ForbiddenException(`This needs the ${required} role; you are ${request.user.role}`);
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
