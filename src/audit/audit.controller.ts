import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AdminOnly } from '../auth/auth.decorators.js';
import { AuditExportService } from './audit-export.service.js';
import type { AuditEntriesPage } from './audit-labels.js';
import { AuditService } from './audit.service.js';
import { ExportAuditQuery } from './dto/export-audit.query.js';
import { ListAuditQuery } from './dto/list-audit.query.js';

@ApiTags('audit')
@ApiBearerAuth()
@AdminOnly()
@Controller('audit')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly exports: AuditExportService,
  ) {}

  /** The whole trail, newest first, with `labels` naming the records it mentions. */
  @Get()
  list(@Query() query: ListAuditQuery): Promise<AuditEntriesPage> {
    return this.audit.list(query);
  }

  @Get('export')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: "Every entry the filters select, newest first, as CSV (cells that would run as formulas start with ')" })
  export(@Query() query: ExportAuditQuery, @Res() response: Response): Promise<void> {
    return this.exports.export(query, response);
  }
}
