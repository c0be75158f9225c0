import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { CachedAnswer } from './answer-cache.js';
import { CapacityService } from './capacity.service.js';
import { CapacityFilterQuery, GetCapacityQuery, TopCompaniesQuery } from './dto/capacity.query.js';
import { CapacityResponseDoc, CapacitySummaryResponseDoc, TopCompaniesResponseDoc } from './dto/capacity.responses.js';

@ApiTags('capacity')
@Controller('capacity')
export class CapacityController {
  constructor(private readonly capacity: CapacityService) {}

  @Get()
  @ApiOperation({ summary: 'Committed compute by group and quarter, with what was left out and why' })
  @ApiOkResponse({ type: CapacityResponseDoc })
  async byQuarter(@Query() query: GetCapacityQuery, @Res() response: Response): Promise<void> {
    send(response, await this.capacity.capacity(query));
  }

  @Get('summary')
  @ApiOperation({ summary: 'Headline figures for a filter: total, companies, records counted and excluded, latest announcement' })
  @ApiOkResponse({ type: CapacitySummaryResponseDoc })
  async summary(@Query() query: CapacityFilterQuery, @Res() response: Response): Promise<void> {
    send(response, await this.capacity.summary(query));
  }

  @Get('top-companies')
  @ApiOperation({ summary: 'The companies with the most committed compute for a filter' })
  @ApiOkResponse({ type: TopCompaniesResponseDoc })
  async topCompanies(@Query() query: TopCompaniesQuery, @Res() response: Response): Promise<void> {
    send(response, await this.capacity.topCompanies(query));
  }
}

/**
 * Sends a cached answer with its entity tag. Clients revalidate every time (`no-cache`); Express answers 304 with
 * no body when `If-None-Match` names the tag.
 */
function send(response: Response, { body, etag }: CachedAnswer): void {
  response.set({ ETag: etag, 'Cache-Control': 'no-cache' }).type('application/json').send(body);
}
