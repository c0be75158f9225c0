import { ForbiddenException } from '@nestjs/common';
import { parseCookie } from 'cookie';
import type { CookieOptions, Request, Response } from 'express';

export const REFRESH_COOKIE = 'ledger_refresh';
/** Sent only to the auth routes (login, refresh, logout, password), never with the rest of the API. */
export const REFRESH_COOKIE_PATH = '/api/auth';

/**
 * HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it), Secure when the request came over
 * https (directly or, with TRUST_PROXY, through the proxy), path-scoped to the auth routes.
 */
function cookieOptions(request: Request): CookieOptions {
  return { httpOnly: true, sameSite: 'strict', secure: request.secure, path: REFRESH_COOKIE_PATH };
}

export function setRefreshCookie(request: Request, response: Response, refresh: { token: string; expiresAt: Date }): void {
  response.cookie(REFRESH_COOKIE, refresh.token, { ...cookieOptions(request), expires: refresh.expiresAt });
}

export function clearRefreshCookie(request: Request, response: Response): void {
  response.clearCookie(REFRESH_COOKIE, cookieOptions(request));
}

export function readRefreshCookie(request: Request): string | undefined {
  const header = request.headers.cookie;
  return header ? parseCookie(header)[REFRESH_COOKIE] : undefined;
}

/**
 * The refresh route hands out an access token in its body, so it answers only pages of this very origin: a browser
 * says where a request comes from in `Sec-Fetch-Site` (every current one) or at least in `Origin`. SameSite=Strict
 * already keeps other sites from sending the cookie; this also refuses sibling subdomains, which count as the same
 * site. Callers that send neither header are not browsers, and hold the cookie themselves.
 */
export function assertSameOrigin(request: Request): void {
  const fetchSite = request.header('sec-fetch-site');
  const origin = request.header('origin');
  const sameOrigin =
    fetchSite !== undefined
      ? fetchSite === 'same-origin'
      : origin === undefined || origin === `${request.protocol}://${request.get('host')}`;
  if (!sameOrigin) throw new ForbiddenException('A session is refreshed only from the web client’s own pages');
}
