import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ChangePasswordDto, LoginDto } from '../users/dto/user.dto.js';
import { CurrentUser, Public, RequiredRole } from './auth.decorators.js';
import { AuthService, type Session } from './auth.service.js';
import { LoginRateLimit } from './rate-limit.js';
import type { AuthenticatedUser } from './roles.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** A bearer token for `Authorization: Bearer <accessToken>`. */
  @Public()
  @LoginRateLimit()
  @Post('login')
  @HttpCode(200)
  login(@Body() dto: LoginDto): Promise<Session> {
    return this.auth.login(dto.email, dto.password);
  }

  @RequiredRole('viewer')
  @Get('me')
  me(@CurrentUser() user: AuthenticatedUser): AuthenticatedUser {
    return user;
  }

  /** Changes the caller's own password; the answer carries a new token, as tokens issued before stop working. */
  @RequiredRole('viewer')
  @Post('password')
  @HttpCode(200)
  changePassword(@CurrentUser() user: AuthenticatedUser, @Body() dto: ChangePasswordDto): Promise<Session> {
    return this.auth.changePassword(user, dto.currentPassword, dto.newPassword);
  }
}
