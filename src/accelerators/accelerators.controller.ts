import { Body, Controller, Get, Patch, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ActorId, PublicRead } from '../auth/auth.decorators.js';
import { IdParam, IfMatchVersion } from '../common/decorators.js';
import { withETag } from '../common/etag.js';
import { type AcceleratorView, toAcceleratorView } from './accelerator.view.js';
import { AcceleratorsService } from './accelerators.service.js';
import { CreateAcceleratorDto, UpdateAcceleratorDto } from './dto/accelerator.dto.js';

@ApiTags('accelerators')
@Controller('accelerators')
export class AcceleratorsController {
  constructor(private readonly accelerators: AcceleratorsService) {}

  @PublicRead()
  @Get()
  async list(): Promise<AcceleratorView[]> {
    return (await this.accelerators.list()).map(toAcceleratorView);
  }

  @PublicRead()
  @Get(':id')
  async get(@IdParam() id: string, @Res({ passthrough: true }) response: Response): Promise<AcceleratorView> {
    return withETag(response, toAcceleratorView(await this.accelerators.get(id)));
  }

  @Post()
  async create(
    @Body() dto: CreateAcceleratorDto,
    @ActorId() actorId: string | null,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AcceleratorView> {
    return withETag(response, toAcceleratorView(await this.accelerators.create(dto, actorId)));
  }

  @Patch(':id')
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag read, instead of a version field' })
  async update(
    @IdParam() id: string,
    @Body() dto: UpdateAcceleratorDto,
    @IfMatchVersion() ifMatch: number | undefined,
    @ActorId() actorId: string | null,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AcceleratorView> {
    return withETag(response, toAcceleratorView(await this.accelerators.update(id, dto, ifMatch, actorId)));
  }
}
