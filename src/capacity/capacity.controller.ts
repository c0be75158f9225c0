import { Controller, Get, HttpStatus, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { PublicRead } from '../auth/auth.decorators.js';
import { VersionsService } from '../database/versions.js';
import type { CachedAnswer } from './answer-cache.js';
import { CapacityService } from './capacity.service.js';
import { CapacityFilterQuery, GetCapacityQuery, TopCompaniesQuery } from './dto/capacity.query.js';
import { CapacityResponseDoc, CapacitySummaryResponseDoc, TopCompaniesResponseDoc } from './dto/capacity.responses.js';

@ApiTags('capacity')
@Controller('capacity')
export class CapacityController {
  constructor(
    private readonly capacity: CapacityService,
    private readonly versions: VersionsService,
  ) {}

  @PublicRead()
  @Get()
  @ApiOperation({ summary: 'Committed compute by group and quarter, with what was left out and why' })
  @ApiOkResponse({ type: CapacityResponseDoc })
  async byQuarter(@Query() query: GetCapacityQuery, @Req() request: Request, @Res() response: Response): Promise<void> {
    const { ledger } = await this.versions.of(request);
    send(request, response, await this.capacity.capacity(query, ledger));
  }

  @PublicRead()
  @Get('summary')
  @ApiOperation({ summary: 'Headline figures for a filter: total, companies, records counted and excluded, latest announcement' })
  @ApiOkResponse({ type: CapacitySummaryResponseDoc })
  async summary(@Query() query: CapacityFilterQuery, @Req() request: Request, @Res() response: Response): Promise<void> {
    const { ledger } = await this.versions.of(request);
    send(request, response, await this.capacity.summary(query, ledger));
  }

  @PublicRead()
  @Get('top-companies')
  @ApiOperation({ summary: 'The companies with the most committed compute for a filter' })
  @ApiOkResponse({ type: TopCompaniesResponseDoc })
  async topCompanies(@Query() query: TopCompaniesQuery, @Req() request: Request, @Res() response: Response): Promise<void> {
    const { ledger } = await this.versions.of(request);
    send(request, response, await this.capacity.topCompanies(query, ledger));
  }
}

/**
 * Sends a cached answer with its entity tag, or 304 with no body when `If-None-Match` names it. Clients revalidate
 * every time (`no-cache`). The tag is compared here rather than by Express, which ignores it whenever the request
 * itself says `Cache-Control: no-cache`, as `fetch` does for every conditional request it is given.
 */
function send(request: Request, response: Response, { body, etag }: CachedAnswer): void {
  response.set({ ETag: etag, 'Cache-Control': 'no-cache' });
  const known = request.headers['if-none-match'];
  if (known !== undefined && (known.trim() === '*' || known.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag))) {
    response.status(HttpStatus.NOT_MODIFIED).end();
    return;
  }
  response.type('application/json').send(body);
}
