import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsQuarter, PageNumber, PageSize, QueryBoolean } from '../../common/decorators.js';
import { CommitmentFilterQuery } from '../../commitments/dto/list-commitments.query.js';
import { IsQuarterNotAfter } from '../../common/validators.js';
import { ATTRIBUTIONS, type Attribution } from '../../domain/attribution.js';
import {
  BASES,
  type Basis,
  COMMITMENT_STATUSES,
  type CommitmentStatus,
  DEFAULT_COUNTED_STATUSES,
  GROUP_BYS,
  type GroupBy,
  METRICS,
  type Metric,
  PRECISIONS,
  type Precision,
} from '../../domain/vocabulary.js';

/** The shared filters plus what is measured and where it falls in time. */
export class CapacityFilterQuery extends CommitmentFilterQuery {
  @ApiPropertyOptional({
    enum: COMMITMENT_STATUSES,
    isArray: true,
    default: DEFAULT_COUNTED_STATUSES,
    description: 'Statuses counted; repeat or separate by commas',
  })
  declare status?: CommitmentStatus[];

  // Redeclared for its description; class-validator then drops the inherited custom checks, so they are repeated.
  @IsQuarter({
    optional: true,
    description:
      'First quarter reported. Default: the first quarter holding a counted amount. Cumulative sums include everything before it',
  })
  @IsQuarterNotAfter('to', { message: 'from must not be after to' })
  declare from?: string;

  @IsQuarter({ optional: true, description: 'Last quarter reported. Default: the last quarter holding a counted amount' })
  declare to?: string;

  @ApiPropertyOptional({
    enum: METRICS,
    default: 'h100e',
    description: 'units = quantity; h100e = stated H100e, else quantity × H100e factor; power_mw = stated MW, else quantity × TDP ÷ 10⁶',
  })
  @IsOptional()
  @IsIn(METRICS, { message: `metric must be one of ${METRICS.join(', ')}` })
  metric: Metric = 'h100e';

  @ApiPropertyOptional({
    enum: PRECISIONS,
    default: 'bf16',
    description:
      'H100e factor: dense BF16 ÷ 989, dense FP8 ÷ 1,979, or max: the highest dense rate (FP32, BF16, FP8, INT8) ÷ 1,979 (Epoch AI)',
  })
  @IsOptional()
  @IsIn(PRECISIONS, { message: `precision must be one of ${PRECISIONS.join(', ')}` })
  precision: Precision = 'bf16';

  @ApiPropertyOptional({
    enum: BASES,
    default: 'delivery',
    description: 'delivery: spread evenly over the delivery window; announced: all in the quarter of announcedOn',
  })
  @IsOptional()
  @IsIn(BASES, { message: `basis must be one of ${BASES.join(', ')}` })
  basis: Basis = 'delivery';

  @ApiPropertyOptional({
    enum: ATTRIBUTIONS,
    default: 'user',
    description:
      'user: a part (partOfId) under its own company, its whole less its parts; owner: the whole in full under its host where set, its parts 0',
  })
  @IsOptional()
  @IsIn(ATTRIBUTIONS, { message: `attribution must be one of ${ATTRIBUTIONS.join(', ')}` })
  attribution: Attribution = 'user';
}

export class GetCapacityQuery extends CapacityFilterQuery {
  @ApiPropertyOptional({
    enum: GROUP_BYS,
    default: 'company',
    description: 'One series per company, chip vendor, chip, kind, country (site, else company) or company kind',
  })
  @IsOptional()
  @IsIn(GROUP_BYS, { message: `groupBy must be one of ${GROUP_BYS.join(', ')}` })
  groupBy: GroupBy = 'company';

  @ApiPropertyOptional({ type: Boolean, default: false, description: 'Running sums, starting from everything before from' })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean({ message: 'cumulative must be true or false' })
  cumulative = false;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 1000,
    description: 'Keep the N largest series and fold the rest into "Others". Default: every series',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'top must be a whole number' })
  @Min(1, { message: 'top must be at least 1' })
  @Max(1000)
  top?: number;
}

export class TopCompaniesQuery extends CapacityFilterQuery {
  @ApiPropertyOptional({ type: 'integer', default: 10, minimum: 1, maximum: 100, description: 'How many companies' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(100)
  limit = 10;
}

/** `GET /api/capacity/excluded`: the capacity filters, metric, precision, basis and period, a page at a time. */
export class CapacityExcludedQuery extends CapacityFilterQuery {
  @PageNumber()
  page = 1;

  @PageSize()
  limit = 50;
}
