import { ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ListAuditQuery } from './list-audit.query.js';

export const AUDIT_EXPORT_FORMATS = ['csv'] as const;

/** The list's filters, the whole trail they select, as a file. */
export class ExportAuditQuery extends OmitType(ListAuditQuery, ['page', 'limit'] as const) {
  @ApiPropertyOptional({ enum: AUDIT_EXPORT_FORMATS, default: 'csv' })
  @IsOptional()
  @IsIn(AUDIT_EXPORT_FORMATS, { message: 'format must be csv' })
  format: (typeof AUDIT_EXPORT_FORMATS)[number] = 'csv';
}
