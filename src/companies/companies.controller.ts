import { Body, Controller, Get, Patch, Post } from '@nestjs/common';
import { IdParam } from '../common/decorators.js';
import { ApiTags } from '@nestjs/swagger';
import { CompaniesService } from './companies.service.js';
import type { Company } from './company.entity.js';
import { CreateCompanyDto, UpdateCompanyDto } from './dto/company.dto.js';

@ApiTags('companies')
@Controller('companies')
export class CompaniesController {
  constructor(private readonly companies: CompaniesService) {}

  @Get()
  list(): Promise<Company[]> {
    return this.companies.list();
  }

  @Get(':id')
  get(@IdParam() id: string): Promise<Company> {
    return this.companies.get(id);
  }

  @Post()
  create(@Body() dto: CreateCompanyDto): Promise<Company> {
    return this.companies.create(dto);
  }

  @Patch(':id')
  update(@IdParam() id: string, @Body() dto: UpdateCompanyDto): Promise<Company> {
    return this.companies.update(id, dto);
  }
}
