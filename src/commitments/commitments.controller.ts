import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuditEntryView } from '../audit/audit-entry.entity.js';
import { ActorId, PublicRead } from '../auth/auth.decorators.js';
import { IdParam, IfMatchVersion } from '../common/decorators.js';
import { withETag } from '../common/etag.js';
import type { CommitmentView } from './commitment.view.js';
import { CommitmentsService, type Page } from './commitments.service.js';
import { CreateCommitmentBatchDto, CreateCommitmentDto, UpdateCommitmentDto } from './dto/commitment.dto.js';
import { ExportCommitmentsQuery, ListCommitmentsQuery } from './dto/list-commitments.query.js';
import { CommitmentsExportService } from './commitments-export.service.js';

@ApiTags('commitments')
@Controller('commitments')
export class CommitmentsController {
  constructor(
    private readonly commitments: CommitmentsService,
    private readonly exports: CommitmentsExportService,
  ) {}

  @PublicRead()
  @Get()
  list(@Query() query: ListCommitmentsQuery): Promise<Page<CommitmentView>> {
    return this.commitments.list(query);
  }

  /** Declared before `:id` so the path is not read as an id. */
  @PublicRead()
  @Get('export')
  @ApiProduces('text/csv', 'application/json')
  @ApiOkResponse({ description: 'The filtered commitments in the columns of the import, streamed (CSV with a header, or a JSON array)' })
  export(@Query() query: ExportCommitmentsQuery, @Res() response: Response): Promise<void> {
    return this.exports.export(query, response);
  }

  @PublicRead()
  @Get(':id')
  async get(@IdParam() id: string, @Res({ passthrough: true }) response: Response): Promise<CommitmentView> {
    return withETag(response, await this.commitments.get(id));
  }

  /** Every change to the record, oldest first: who, when, and the values before and after. */
  @Get(':id/history')
  history(@IdParam() id: string): Promise<AuditEntryView[]> {
    return this.commitments.history(id);
  }

  @Post()
  async create(
    @Body() dto: CreateCommitmentDto,
    @ActorId() actorId: string | null,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommitmentView> {
    return withETag(response, await this.commitments.create(dto, actorId));
  }

  /** Several records at once (an article's accepted suggestions): all are written in one transaction, or none. */
  @Post('batch')
  @ApiCreatedResponse({ description: 'The records created, in the order of the items' })
  @ApiBadRequestResponse({ description: 'An item is invalid: details name it as items[i].field, and nothing is written' })
  createMany(@Body() dto: CreateCommitmentBatchDto, @ActorId() actorId: string | null): Promise<CommitmentView[]> {
    return this.commitments.createMany(dto.items, actorId);
  }

  @Patch(':id')
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag read, instead of a version field' })
  async update(
    @IdParam() id: string,
    @Body() dto: UpdateCommitmentDto,
    @IfMatchVersion() ifMatch: number | undefined,
    @ActorId() actorId: string | null,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommitmentView> {
    return withETag(response, await this.commitments.update(id, dto, ifMatch, actorId));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiHeader({ name: 'If-Match', required: false })
  remove(@IdParam() id: string, @IfMatchVersion() ifMatch: number | undefined, @ActorId() actorId: string | null): Promise<void> {
    return this.commitments.remove(id, ifMatch, actorId);
  }
}
