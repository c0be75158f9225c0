import { Body, Controller, Get, Patch, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ActorId, PublicRead } from '../auth/auth.decorators.js';
import { IdParam, IfMatchVersion } from '../common/decorators.js';
import { withETag } from '../common/etag.js';
import { CompaniesService } from './companies.service.js';
import type { Company } from './company.entity.js';
import { CreateCompanyDto, UpdateCompanyDto } from './dto/company.dto.js';

@ApiTags('companies')
@Controller('companies')
export class CompaniesController {
  constructor(private readonly companies: CompaniesService) {}

  @PublicRead()
  @Get()
  list(): Promise<Company[]> {
    return this.companies.list();
  }

  @PublicRead()
  @Get(':id')
  async get(@IdParam() id: string, @Res({ passthrough: true }) response: Response): Promise<Company> {
    return withETag(response, await this.companies.get(id));
  }

  @Post()
  async create(
    @Body() dto: CreateCompanyDto,
    @ActorId() actorId: string | null,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Company> {
    return withETag(response, await this.companies.create(dto, actorId));
  }

  @Patch(':id')
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag read, instead of a version field' })
  async update(
    @IdParam() id: string,
    @Body() dto: UpdateCompanyDto,
    @IfMatchVersion() ifMatch: number | undefined,
    @ActorId() actorId: string | null,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Company> {
    return withETag(response, await this.companies.update(id, dto, ifMatch, actorId));
  }
}
