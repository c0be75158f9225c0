import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IdParam } from '../common/decorators.js';
import { ApiTokensService } from './api-tokens.service.js';
import type { ApiTokenView, CreatedApiToken } from '../contracts/auth.js';
import { CurrentUser, RequiredRole, SessionOnly } from './auth.decorators.js';
import { CreateApiTokenDto, ListApiTokensQuery } from './dto/api-token.dto.js';
import type { AuthenticatedUser } from '../domain/roles.js';

/** Tokens for scripts and BI tools, sent as `Authorization: Bearer`; managed from a signed-in session only. */
@ApiTags('auth')
@RequiredRole('viewer')
@SessionOnly()
@Controller('auth/tokens')
export class ApiTokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  /** The token is in this answer only; its role is at most the caller's (default viewer), its life 1–365 days (default 90). */
  @Post()
  create(@CurrentUser() user: AuthenticatedUser, @Body() dto: CreateApiTokenDto): Promise<CreatedApiToken> {
    return this.tokens.create(user, dto);
  }

  /** The caller's tokens; `?all=true` lists everyone's (admin). */
  @Get()
  list(@CurrentUser() user: AuthenticatedUser, @Query() query: ListApiTokensQuery): Promise<ApiTokenView[]> {
    return this.tokens.list(user, query.all);
  }

  /** Stops the token at once on every instance. */
  @Delete(':id')
  @HttpCode(204)
  delete(@CurrentUser() user: AuthenticatedUser, @IdParam() id: string): Promise<void> {
    return this.tokens.delete(user, id);
  }
}
