import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CapacityResponse, CapacitySummaryResponse, TopCompaniesResponse } from './capacity.contract.js';
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
  byQuarter(@Query() query: GetCapacityQuery): Promise<CapacityResponse> {
    return this.capacity.capacity(query);
  }

  @Get('summary')
  @ApiOperation({ summary: 'Headline figures for a filter: total, companies, records counted and excluded, latest announcement' })
  @ApiOkResponse({ type: CapacitySummaryResponseDoc })
  summary(@Query() query: CapacityFilterQuery): Promise<CapacitySummaryResponse> {
    return this.capacity.summary(query);
  }

  @Get('top-companies')
  @ApiOperation({ summary: 'The companies with the most committed compute for a filter' })
  @ApiOkResponse({ type: TopCompaniesResponseDoc })
  topCompanies(@Query() query: TopCompaniesQuery): Promise<TopCompaniesResponse> {
    return this.capacity.topCompanies(query);
  }
}
