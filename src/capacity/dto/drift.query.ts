import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsQuarter } from '../../common/decorators.js';
import { IsCalendarDate } from '../../common/validators.js';
import { CapacityFilterQuery } from './capacity.query.js';

export const DRIFT_STEPS = ['day', 'week', 'month'] as const;
export type DriftStep = (typeof DRIFT_STEPS)[number];

/**
 * `GET /api/capacity/drift`: the capacity filters, metric, precision, basis and attribution, with the quarter whose
 * cumulative total is followed and the dates (not quarters) it is followed over.
 */
export class DriftQuery extends OmitType(CapacityFilterQuery, ['from', 'to', 'asOf'] as const) {
  @IsQuarter({ description: 'The quarter: each value is the cumulative total of every quarter up to and including it' })
  quarter!: string;

  @ApiPropertyOptional({ type: String, example: '2025-01-01', description: 'First date (YYYY-MM-DD). Default: a year before to' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ type: String, example: '2025-12-31', description: 'Last date (YYYY-MM-DD). Default: today (UTC)' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;

  @ApiProperty({
    enum: DRIFT_STEPS,
    required: false,
    default: 'month',
    description: 'A value at the end of each day, week (Sunday) or month, and at to',
  })
  @IsOptional()
  @IsIn(DRIFT_STEPS, { message: `step must be one of ${DRIFT_STEPS.join(', ')}` })
  step: DriftStep = 'month';
}
