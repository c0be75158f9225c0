import { Body, Controller, Get, Patch, Post } from '@nestjs/common';
import { IdParam } from '../common/decorators.js';
import { ApiTags } from '@nestjs/swagger';
import { type AcceleratorView, toAcceleratorView } from './accelerator.view.js';
import { AcceleratorsService } from './accelerators.service.js';
import { CreateAcceleratorDto, UpdateAcceleratorDto } from './dto/accelerator.dto.js';

@ApiTags('accelerators')
@Controller('accelerators')
export class AcceleratorsController {
  constructor(private readonly accelerators: AcceleratorsService) {}

  @Get()
  async list(): Promise<AcceleratorView[]> {
    return (await this.accelerators.list()).map(toAcceleratorView);
  }

  @Get(':id')
  async get(@IdParam() id: string): Promise<AcceleratorView> {
    return toAcceleratorView(await this.accelerators.get(id));
  }

  @Post()
  async create(@Body() dto: CreateAcceleratorDto): Promise<AcceleratorView> {
    return toAcceleratorView(await this.accelerators.create(dto));
  }

  @Patch(':id')
  async update(@IdParam() id: string, @Body() dto: UpdateAcceleratorDto): Promise<AcceleratorView> {
    return toAcceleratorView(await this.accelerators.update(id, dto));
  }
}
