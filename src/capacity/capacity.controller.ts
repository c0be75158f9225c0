import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { PublicRead } from '../auth/auth.decorators.js';
import { VersionsService } from '../database/versions.js';
import { sendAnswer as send } from '../common/answer-cache.js';
import type { CapacityExcludedResponse } from '../contracts/capacity.js';
import { DriftQuery } from './dto/drift.query.js';
import { CapacityService } from './capacity.service.js';
import { CapacityExcludedQuery, CapacityFilterQuery, GetCapacityQuery, TopCompaniesQuery } from './dto/capacity.query.js';
import { CapacityExcludedService } from './excluded.service.js';
import { CapacityResponseDoc, CapacitySummaryResponseDoc, TopCompaniesResponseDoc } from './dto/capacity.responses.js';

@ApiTags('capacity')
@Controller('capacity')
export class CapacityController {
  constructor(
    private readonly capacity: CapacityService,
    private readonly versions: VersionsService,
    private readonly excludedRecords: CapacityExcludedService,
  ) {}

  @PublicRead()
  @Get('excluded')
  @ApiOperation({ summary: 'The records behind `excluded`: counted, in the period, but without an amount in the metric, and why' })
  async excluded(@Query() query: CapacityExcludedQuery, @Req() request: Request): Promise<CapacityExcludedResponse> {
    const { ledger } = await this.versions.of(request);
    return this.excludedRecords.excluded(query, ledger);
  }

  @PublicRead()
  @Get('drift')
  @ApiOperation({ summary: "A quarter's cumulative total as the ledger stood at the end of each day, week or month" })
  async drift(@Query() query: DriftQuery, @Req() request: Request, @Res() response: Response): Promise<void> {
    const { ledger } = await this.versions.of(request);
    send(request, response, await this.capacity.drift(query, ledger));
  }

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
