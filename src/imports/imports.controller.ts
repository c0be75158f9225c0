import { Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { IsCalendarDate } from '../common/validators.js';
import { EpochClustersImportService } from './epoch-clusters-import.service.js';
import { EpochClustersSyncService } from './epoch-clusters-sync.service.js';
import type { EpochClustersReport, EpochClustersRun, EpochClustersSyncStatus } from '../contracts/epoch-clusters.js';
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

export class EpochClustersQuery extends ImportQuery {
  @ApiPropertyOptional({
    description: 'The day the file was published (YYYY-MM-DD): the announcement date of rows that give no date; default today (UTC)',
  })
  @IsOptional()
  @IsCalendarDate()
  publishedOn?: string;
}

@ApiTags('imports')
@Controller('imports')
export class ImportsController {
  constructor(
    private readonly imports: ImportsService,
    private readonly epochClusters: EpochClustersImportService,
    private readonly epochSync: EpochClustersSyncService,
  ) {}

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

  @Post('epoch-clusters')
  @HttpCode(200)
  @ApiConsumes('text/csv')
  @ApiBody({ description: "Epoch AI's GPU Clusters CSV (Data on GPU Clusters, CC BY 4.0), UTF-8", schema: { type: 'string' } })
  @ApiOkResponse({
    description:
      '{rows, valid, records, created, updated, unchanged, errors: [{line, field, message}], warnings, credit}: rows that cannot be mapped are reported by line, the others imported',
  })
  @ApiResponse({ status: 422, description: 'A record the ledger refuses: nothing was written; the error body with the report fields' })
  @ApiResponse({ status: 400, description: 'Empty file, broken CSV, or a header without the columns of the data set' })
  importEpochClusters(
    @Query() query: EpochClustersQuery,
    @Req() request: Request,
    @ActorId() actorId: string | null,
  ): Promise<EpochClustersReport> {
    const publishedOn = query.publishedOn ?? new Date().toISOString().slice(0, 10);
    return this.epochClusters.importRequest(request, { dryRun: query.dryRun, publishedOn, actorId });
  }

  @Get('epoch-clusters/sync')
  @ApiOkResponse({
    description: '{url, everyHours, lastRun: {at, url, ok, report, error} | null, credit}: the scheduled import (EPOCH_CLUSTERS_URL)',
  })
  epochClustersSync(): Promise<EpochClustersSyncStatus> {
    return this.epochSync.status();
  }

  @Post('epoch-clusters/sync')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Fetches EPOCH_CLUSTERS_URL and imports it now: the run, as the import page shows it' })
  @ApiResponse({ status: 409, description: 'EPOCH_CLUSTERS_URL is not set' })
  syncEpochClusters(): Promise<EpochClustersRun> {
    return this.epochSync.runOnce();
  }
}
