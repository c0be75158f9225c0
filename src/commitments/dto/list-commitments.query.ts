import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { IsMoment, IsQuarter, PageNumber, PageSize, QueryBoolean, QueryList } from '../../common/decorators.js';
import { IsQuarterNotAfter } from '../../common/validators.js';
import {
  ACCELERATOR_KINDS,
  type AcceleratorKind,
  BASES,
  type Basis,
  COMMITMENT_SORTS,
  COMMITMENT_STATUSES,
  type CommitmentStatus,
} from '../../domain/vocabulary.js';

/** The filters shared by every endpoint that reads commitments: lists, exports and capacity. */
export class CommitmentFilterQuery {
  @ApiPropertyOptional({ type: [String], description: 'Company ids; repeat or separate by commas' })
  @IsOptional()
  @QueryList()
  @IsUUID('all', { each: true, message: 'companyId must hold UUIDs' })
  companyId?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Accelerator ids; repeat or separate by commas' })
  @IsOptional()
  @QueryList()
  @IsUUID('all', { each: true, message: 'acceleratorId must hold UUIDs' })
  acceleratorId?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Chip vendors (case-insensitive); repeat or separate by commas' })
  @IsOptional()
  @QueryList()
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  vendor?: string[];

  @ApiPropertyOptional({ enum: ACCELERATOR_KINDS, isArray: true })
  @IsOptional()
  @QueryList()
  @IsIn(ACCELERATOR_KINDS, { each: true, message: 'kind must hold gpu or custom' })
  kind?: AcceleratorKind[];

  @ApiPropertyOptional({ enum: COMMITMENT_STATUSES, isArray: true })
  @IsOptional()
  @QueryList()
  @IsIn(COMMITMENT_STATUSES, { each: true, message: `status must hold ${COMMITMENT_STATUSES.join(', ')}` })
  status?: CommitmentStatus[];

  @IsQuarter({ optional: true, description: 'First quarter of the period (delivery window overlaps it)' })
  @IsQuarterNotAfter('to', { message: 'from must not be after to' })
  from?: string;

  @IsQuarter({ optional: true, description: 'Last quarter of the period' })
  to?: string;

  @IsMoment('The ledger as it stood at this moment: an ISO date (the end of that UTC day) or date-time. Default: now')
  asOf?: string;
}

const SORT_VALUES = COMMITMENT_SORTS.flatMap((field) => [field, `-${field}`]);

/** The filters plus the list's search, shared by the list and the export. */
export class CommitmentSearchQuery extends CommitmentFilterQuery {
  @ApiPropertyOptional({
    description: 'Text searched in company names and aliases, chip names and aliases, notes, keys, source titles and publishers',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;

  @ApiPropertyOptional({
    enum: BASES,
    default: 'delivery',
    description: 'How from/to select records: delivery (the delivery window overlaps the period) or announced (announced in it)',
  })
  @IsOptional()
  @IsIn(BASES, { message: `basis must be one of ${BASES.join(', ')}` })
  basis?: Basis;

  @ApiPropertyOptional({ description: 'false: only records that nothing supersedes; true: only superseded ones' })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean({ message: 'superseded must be true or false' })
  superseded?: boolean;

  @ApiPropertyOptional({
    type: [String],
    description: "Host company ids: only records that run on one of these companies' chips; repeat or separate by commas",
  })
  @IsOptional()
  @QueryList()
  @IsUUID('all', { each: true, message: 'hostCompanyId must hold UUIDs' })
  hostCompanyId?: string[];
}

export class ListCommitmentsQuery extends CommitmentSearchQuery {
  @PageNumber()
  page = 1;

  @PageSize()
  limit = 50;

  @ApiPropertyOptional({ enum: SORT_VALUES, default: '-announcedOn', description: 'A field; a leading - sorts descending' })
  @IsOptional()
  @IsIn(SORT_VALUES, { message: `sort must be one of ${SORT_VALUES.join(', ')}` })
  sort = '-announcedOn';
}

export const EXPORT_FORMATS = ['csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export class ExportCommitmentsQuery extends CommitmentSearchQuery {
  @ApiPropertyOptional({ enum: EXPORT_FORMATS, default: 'csv', description: 'csv: the import format; json: an array of the same columns' })
  @IsOptional()
  @IsIn(EXPORT_FORMATS, { message: 'format must be csv or json' })
  format: ExportFormat = 'csv';
}
