import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/auth.decorators.js';
import type { Page } from '../commitments/commitments.service.js';
import type { AuditEntryView } from './audit-entry.entity.js';
import { AuditService } from './audit.service.js';
import { ListAuditQuery } from './dto/list-audit.query.js';

@ApiTags('audit')
@ApiBearerAuth()
@AdminOnly()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** The whole trail, newest first. */
  @Get()
  list(@Query() query: ListAuditQuery): Promise<Page<AuditEntryView>> {
    return this.audit.list(query);
  }
}
