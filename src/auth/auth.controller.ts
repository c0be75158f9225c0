import { Body, Controller, Get, HttpCode, Post, Req, Res, UnauthorizedException } from '@nestjs/common';
import { ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ChangePasswordDto, LoginDto } from './dto/login.dto.js';
import type { Session } from '../contracts/auth.js';
import { CurrentCredential, CurrentUser, OpenBeforePasswordChange, Public, RequiredRole, SessionOnly } from './auth.decorators.js';
import { AuthService, type SignedIn } from './auth.service.js';
import type { Credential } from './principal.js';
import { LoginRateLimit } from './rate-limit.js';
import { assertSameOrigin, clearRefreshCookie, readRefreshCookie, setRefreshCookie } from './refresh-cookie.js';
import type { AuthenticatedUser } from '../domain/roles.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /**
   * A bearer token for `Authorization: Bearer <accessToken>`, valid until the sign-in ends (JWT_TTL) or logout; the
   * web client also gets the refresh cookie, from which its other tabs get tokens of their own.
   */
  @Public()
  @LoginRateLimit()
  @Post('login')
  @HttpCode(200)
  async login(@Body() dto: LoginDto, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<Session> {
    return answer(request, response, await this.auth.login(dto.email, dto.password));
  }

  /**
   * A new access token from the refresh cookie, which is rotated; 204 without a cookie (nothing to restore), 401
   * once the sign-in has ended. Answers pages of this origin only.
   */
  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiNoContentResponse({ description: 'No refresh cookie: nobody is signed in in this browser' })
  async refresh(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<Session | undefined> {
    assertSameOrigin(request);
    const cookie = readRefreshCookie(request);
    if (cookie === undefined) {
      response.status(204);
      return undefined;
    }
    const refreshed = await this.auth.refresh(cookie);
    if (!refreshed) {
      clearRefreshCookie(request, response);
      throw new UnauthorizedException('The sign-in has ended: log in again');
    }
    return answer(request, response, refreshed);
  }

  /** Ends the token sent (a sign-in, or an API token) at once on every instance, and the browser's refresh cookie. */
  @RequiredRole('viewer')
  @OpenBeforePasswordChange()
  @Post('logout')
  @HttpCode(204)
  async logout(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentCredential() credential: Credential,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    await this.auth.logout(user, credential, readRefreshCookie(request));
    clearRefreshCookie(request, response);
  }

  @RequiredRole('viewer')
  @OpenBeforePasswordChange()
  @Get('me')
  me(@CurrentUser() user: AuthenticatedUser): AuthenticatedUser {
    return user;
  }

  /** Changes the caller's own password; every session of the user ends, and the answer carries a new one. */
  @RequiredRole('viewer')
  @SessionOnly()
  @OpenBeforePasswordChange()
  @LoginRateLimit()
  @Post('password')
  @HttpCode(200)
  async changePassword(
    @CurrentUser() user: AuthenticatedUser,
    @Body() dto: ChangePasswordDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Session> {
    return answer(request, response, await this.auth.changePassword(user, dto.currentPassword, dto.newPassword));
  }
}

function answer(request: Request, response: Response, signedIn: SignedIn): Session {
  if (signedIn.refresh) setRefreshCookie(request, response, signedIn.refresh);
  return signedIn.session;
}
