import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Credential } from './principal.js';
import type { AuthenticatedUser, Role } from '../domain/roles.js';

export const IS_PUBLIC = 'auth:public';
export const IS_PUBLIC_READ = 'auth:public-read';
export const REQUIRED_ROLE = 'auth:required-role';
export const SESSION_ONLY = 'auth:session-only';
export const OPEN_BEFORE_PASSWORD_CHANGE = 'auth:open-before-password-change';

/** Open to anyone, with or without a token (health, login). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** A dashboard read that PUBLIC_READ=true opens to anonymous callers; with a token, the token must be valid. */
export const PublicRead = () => SetMetadata(IS_PUBLIC_READ, true);

/**
 * The least role a route needs. Without it, GET and HEAD need `viewer` and every other method `analyst`, so a
 * route nobody thought about is closed to anonymous callers and read-only for viewers.
 */
export const RequiredRole = (role: Role) => applyDecorators(SetMetadata(REQUIRED_ROLE, role), ApiBearerAuth());

export const AdminOnly = () => RequiredRole('admin');

/** Needs a signed-in session: an API token cannot manage tokens or change a password (403). */
export const SessionOnly = () => SetMetadata(SESSION_ONLY, true);

/** Open while a generated password waits to be changed (the password change itself, who am I, logout). */
export const OpenBeforePasswordChange = () => SetMetadata(OPEN_BEFORE_PASSWORD_CHANGE, true);

/** The user the request acts for; absent only on public routes. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedUser | undefined => context.switchToHttp().getRequest<Request>().user,
);

/** The bearer token the request came with, as the auth guard identified it; absent only on public routes. */
export const CurrentCredential = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Credential | undefined => context.switchToHttp().getRequest<Request>().credential,
);

/** The id of the user the request acts for, for `createdBy`/`updatedBy` and the audit trail. */
export const ActorId = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string | null => context.switchToHttp().getRequest<Request>().user?.id ?? null,
);
