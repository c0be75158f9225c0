import { Controller, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import type { Request, Response } from 'express';
import { ActorId } from '../auth/auth.decorators.js';
import { QueryBoolean } from '../common/decorators.js';
import { StalledUpload } from './csv-reader.js';
import { type ImportReport, ImportsService } from './imports.service.js';

export class ImportQuery {
  @ApiPropertyOptional({ default: false, description: 'true: check the file and report, write nothing' })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean({ message: 'dryRun must be true or false' })
  dryRun = false;
}

@ApiTags('imports')
@Controller('imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post()
  @HttpCode(200)
  @ApiConsumes('text/csv')
  @ApiBody({ description: 'An announcements CSV (the columns of src/seed/announcements.csv), UTF-8', schema: { type: 'string' } })
  @ApiOkResponse({ description: '{rows, valid, created, updated, unchanged, errors: []}' })
  @ApiResponse({
    status: 422,
    description: 'The file has errors and nothing was written: the error body {statusCode, error, message} with the report fields',
  })
  @ApiResponse({ status: 400, description: 'Empty file, a header that is not the announcements format, or broken CSV' })
  @ApiResponse({ status: 413, description: 'Larger than IMPORT_MAX_BYTES' })
  @ApiResponse({ status: 415, description: 'Not text/csv, or not UTF-8 text' })
  @ApiResponse({ status: 408, description: 'The upload sent nothing for IMPORT_IDLE_SECONDS; the connection is closed' })
  async import(
    @Query() query: ImportQuery,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @ActorId() actorId: string | null,
  ): Promise<ImportReport> {
    try {
      return await this.imports.importRequest(request, { dryRun: query.dryRun, actorId });
    } catch (error) {
      // The rest of a stalled upload is not waited for: the connection closes once the answer is sent.
      if (error instanceof StalledUpload) response.setHeader('connection', 'close');
      throw error;
    }
  }
}
