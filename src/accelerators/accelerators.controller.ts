import { Body, Controller, Get, HttpCode, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ActorId, PublicRead } from '../auth/auth.decorators.js';
import { IdParam, IfMatchVersion } from '../common/decorators.js';
import { withETag } from '../common/etag.js';
import type { ImportReport } from '../contracts/import-report.js';
import { type AcceleratorView, toAcceleratorView } from './accelerator.view.js';
import { AcceleratorsService } from './accelerators.service.js';
import { CreateAcceleratorDto, UpdateAcceleratorDto } from './dto/accelerator.dto.js';
import { EpochImportQuery } from './dto/epoch-import.query.js';
import { EpochHardwareImportService } from './epoch-hardware-import.service.js';

@ApiTags('accelerators')
@Controller('accelerators')
export class AcceleratorsController {
  constructor(
    private readonly accelerators: AcceleratorsService,
    private readonly epochImport: EpochHardwareImportService,
  ) {}

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

  @Post('import/epoch')
  @HttpCode(200)
  @ApiConsumes('text/csv')
  @ApiBody({ description: "Epoch AI's ml_hardware.csv (Data on Machine Learning Hardware, CC BY 4.0), UTF-8", schema: { type: 'string' } })
  @ApiOkResponse({
    description: '{rows, valid, created, updated, unchanged, errors: []}: chips matched by name or alias, created or updated',
  })
  @ApiResponse({ status: 422, description: 'A row could not be read or checked; nothing was written. The error body carries the report' })
  @ApiResponse({ status: 400, description: "Empty file, broken CSV, or a header without the hardware list's columns" })
  @ApiResponse({ status: 413, description: 'Larger than IMPORT_MAX_BYTES' })
  @ApiResponse({ status: 415, description: 'Not text/csv, or not UTF-8 text' })
  importEpoch(@Query() query: EpochImportQuery, @Req() request: Request, @ActorId() actorId: string | null): Promise<ImportReport> {
    return this.epochImport.importRequest(request, { dryRun: query.dryRun, actorId });
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
