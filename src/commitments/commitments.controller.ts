import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import type { AuditEntryView } from '../contracts/audit.js';
import { ActorId, PublicRead } from '../auth/auth.decorators.js';
import { AnswerCache, type CachedAnswer, queryKey, sendAnswer } from '../common/answer-cache.js';
import { BoundedMap } from '../common/bounded-map.js';
import { pastMoment, readAsOf } from '../database/as-of.js';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { IdParam, IfMatchVersion } from '../common/decorators.js';
import { VersionsService } from '../database/versions.js';
import type { CommitmentView, WrittenCommitment } from './commitment.view.js';
import { CommitmentsService } from './commitments.service.js';
import { CreateCommitmentBatchDto, CreateCommitmentDto, UpdateCommitmentDto } from './dto/commitment.dto.js';
import { ExportCommitmentsQuery, ListCommitmentsQuery } from './dto/list-commitments.query.js';
import { CommitmentsExportService } from './commitments-export.service.js';

@ApiTags('commitments')
@Controller('commitments')
export class CommitmentsController {
  /**
   * The list's pages and the records as sent, valid for one ledger version, as the capacity answers are: every write
   * to a commitment (its sources included), a chip or a company name bumps the version in its transaction, and each
   * request reads it (one lookup, shared by the requests in flight) before it is answered from memory. A page counts
   * every record its filter matches, which at a million records takes longer than anything else a request does.
   * Pages can be large (up to 500 records), so fewer of them are kept.
   */
  private readonly pages = new AnswerCache(50);
  private readonly records = new AnswerCache(1000);
  /** Pages of the list as of settled past moments. */
  private readonly settledPages = new BoundedMap<CachedAnswer>(50);

  constructor(
    private readonly commitments: CommitmentsService,
    private readonly exports: CommitmentsExportService,
    private readonly versions: VersionsService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @PublicRead()
  @Get()
  @ApiOkResponse({ description: 'A page of commitments ({items, total, page, limit}), with an ETag for If-None-Match' })
  async list(@Query() query: ListCommitmentsQuery, @Req() request: Request, @Res() response: Response): Promise<void> {
    const { ledger: version } = await this.versions.of(request);
    const moment = pastMoment(query.asOf);
    if (!moment) {
      sendAnswer(request, response, await this.pages.get(version, queryKey('commitments', query), () => this.commitments.list(query)));
      return;
    }
    // A settled past moment's page never changes (see CapacityService.cachedAsOf): it is kept for good.
    const key = queryKey('commitments', { ...query, asOf: moment.at });
    const kept = this.settledPages.get(key);
    if (kept) return sendAnswer(request, response, kept);
    let settled = false;
    const answer = await this.pages.get(version, key, () =>
      readAsOf(this.dataSource, moment, (manager, isSettled) => {
        settled = isSettled;
        return this.commitments.list(query, manager);
      }),
    );
    if (settled) this.settledPages.set(key, answer);
    sendAnswer(request, response, answer);
  }

  /** Declared before `:id` so the path is not read as an id. */
  @PublicRead()
  @Get('export')
  @ApiProduces('text/csv', 'application/json')
  @ApiOkResponse({ description: 'The filtered commitments in the columns of the import, streamed (CSV with a header, or a JSON array)' })
  export(@Query() query: ExportCommitmentsQuery, @Res() response: Response): Promise<void> {
    return this.exports.export(query, response);
  }

  /**
   * The ETag is the record's version and a digest of its whole view (`"3.…"`): what revises it, its company's and
   * chip's names and its metrics change without its version, and the tag with them. `If-Match` sends it back (its
   * version is what counts there); `If-None-Match` with it gets a 304 while the view stays the same.
   */
  @PublicRead()
  @Get(':id')
  async get(@IdParam() id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const { ledger: version } = await this.versions.of(request);
    const answer = await this.records.get(version, id, () => this.commitments.get(id), recordTag);
    sendAnswer(request, response, answer);
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
  ): Promise<WrittenCommitment> {
    return withRecordTag(response, await this.commitments.create(dto, actorId));
  }

  /** Several records at once (an article's accepted suggestions): all are written in one transaction, or none. */
  @Post('batch')
  @ApiCreatedResponse({ description: 'The records created, in the order of the items' })
  @ApiBadRequestResponse({ description: 'An item is invalid: details name it as items[i].field, and nothing is written' })
  createMany(@Body() dto: CreateCommitmentBatchDto, @ActorId() actorId: string | null): Promise<WrittenCommitment[]> {
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
  ): Promise<WrittenCommitment> {
    return withRecordTag(response, await this.commitments.update(id, dto, ifMatch, actorId));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiHeader({ name: 'If-Match', required: false })
  remove(@IdParam() id: string, @IfMatchVersion() ifMatch: number | undefined, @ActorId() actorId: string | null): Promise<void> {
    return this.commitments.remove(id, ifMatch, actorId);
  }
}

/**
 * A record's entity tag: its version (what `If-Match` sends back) and a digest of its view as sent, so that whatever
 * the view shows — who supersedes it, its company's name — changes the tag.
 */
function recordTag(record: CommitmentView, body: Buffer = Buffer.from(JSON.stringify(record))): string {
  return `"${record.version}.${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`;
}

/** The tag is the record's view's (as `GET` sends it); the write's warnings ride beside it. */
function withRecordTag(response: Response, written: WrittenCommitment): WrittenCommitment {
  const { possibleDuplicates: _warnings, ...record } = written;
  response.setHeader('ETag', recordTag(record));
  return written;
}
