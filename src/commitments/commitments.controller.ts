import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { IdParam, IfMatchVersion } from '../common/decorators.js';
import type { CommitmentView } from './commitment.view.js';
import { CommitmentsService, type Page } from './commitments.service.js';
import { CreateCommitmentDto, UpdateCommitmentDto } from './dto/commitment.dto.js';
import { ExportCommitmentsQuery, ListCommitmentsQuery } from './dto/list-commitments.query.js';
import { CommitmentsExportService } from './commitments-export.service.js';

@ApiTags('commitments')
@Controller('commitments')
export class CommitmentsController {
  constructor(
    private readonly commitments: CommitmentsService,
    private readonly exports: CommitmentsExportService,
  ) {}

  @Get()
  list(@Query() query: ListCommitmentsQuery): Promise<Page<CommitmentView>> {
    return this.commitments.list(query);
  }

  /** Declared before `:id` so the path is not read as an id. */
  @Get('export')
  @ApiProduces('text/csv', 'application/json')
  @ApiOkResponse({ description: 'The filtered commitments in the columns of the import, streamed (CSV with a header, or a JSON array)' })
  export(@Query() query: ExportCommitmentsQuery, @Res() response: Response): Promise<void> {
    return this.exports.export(query, response);
  }

  @Get(':id')
  async get(@IdParam() id: string, @Res({ passthrough: true }) response: Response): Promise<CommitmentView> {
    const commitment = await this.commitments.get(id);
    response.setHeader('ETag', `"${commitment.version}"`);
    return commitment;
  }

  @Post()
  async create(@Body() dto: CreateCommitmentDto, @Res({ passthrough: true }) response: Response): Promise<CommitmentView> {
    const commitment = await this.commitments.create(dto);
    response.setHeader('ETag', `"${commitment.version}"`);
    return commitment;
  }

  @Patch(':id')
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag read, instead of a version field' })
  async update(
    @IdParam() id: string,
    @Body() dto: UpdateCommitmentDto,
    @IfMatchVersion() ifMatch: number | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommitmentView> {
    const commitment = await this.commitments.update(id, dto, ifMatch);
    response.setHeader('ETag', `"${commitment.version}"`);
    return commitment;
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiHeader({ name: 'If-Match', required: false })
  remove(@IdParam() id: string, @IfMatchVersion() ifMatch: number | undefined): Promise<void> {
    return this.commitments.remove(id, ifMatch);
  }
}
