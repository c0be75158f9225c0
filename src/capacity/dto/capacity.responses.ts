import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import {
  BASES,
  type Basis,
  type ExclusionReason,
  GROUP_BYS,
  type GroupBy,
  METRICS,
  type Metric,
  PRECISIONS,
  type Precision,
} from '../../domain/vocabulary.js';
import type {
  CapacityExclusions,
  CapacityResponse,
  CapacitySeries,
  CapacitySummaryResponse,
  TopCompaniesResponse,
  TopCompany,
} from '../../contracts/capacity.js';

// OpenAPI descriptions of the answers in src/contracts/capacity.ts; `implements` keeps the two in step.

@ApiSchema({ name: 'ExclusionReasons' })
class ExclusionReasonsDoc implements Record<ExclusionReason, number> {
  @ApiProperty({ description: 'No quantity, and no stated figure for the metric' })
  quantity_undisclosed: number;

  @ApiProperty({ description: 'A quantity, but no chip to convert it' })
  chip_unknown: number;

  @ApiProperty({ description: 'The chip lacks the rate (BF16 or FP8) or the TDP the metric needs' })
  chip_spec_missing: number;
}

@ApiSchema({ name: 'CapacityExclusions' })
class CapacityExclusionsDoc implements CapacityExclusions {
  @ApiProperty({ description: 'Counted records (filters, status, not superseded) in the period with no amount in the metric' })
  count: number;

  @ApiProperty({ type: ExclusionReasonsDoc })
  reasons: ExclusionReasonsDoc;
}

@ApiSchema({ name: 'CapacitySeries' })
class CapacitySeriesDoc implements CapacitySeries {
  @ApiProperty({ description: 'Company or chip id, vendor name, or kind (gpu, custom); "others" for the folded rest', example: 'Nvidia' })
  key: string;

  @ApiProperty({ example: 'Nvidia' })
  label: string;

  @ApiProperty({ type: [Number], description: 'One value per quarter, unrounded', example: [87500, 87500, 87500, 87500] })
  values: number[];

  @ApiProperty({ type: [Number], description: 'The low of each value (low ≤ value)', example: [78750, 78750, 78750, 78750] })
  low: number[];

  @ApiProperty({ type: [Number], description: 'The high of each value (value ≤ high)', example: [96250, 96250, 96250, 96250] })
  high: number[];
}

@ApiSchema({ name: 'CapacityResponse' })
export class CapacityResponseDoc implements CapacityResponse {
  @ApiProperty({ enum: METRICS })
  metric: Metric;

  @ApiProperty({ enum: BASES })
  basis: Basis;

  @ApiProperty({ enum: GROUP_BYS })
  groupBy: GroupBy;

  @ApiProperty({
    type: [String],
    example: ['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4'],
    description: 'Continuous; empty when nothing is counted',
  })
  quarters: string[];

  @ApiProperty({ type: [CapacitySeriesDoc], description: 'Largest total first, ties by label; "Others" last' })
  series: CapacitySeriesDoc[];

  @ApiProperty({ description: 'Everything counted in the quarters shown (not cumulative)' })
  total: number;

  @ApiProperty({
    description:
      'The low of total: each record from its bounds, else its qualifier (approximate: −APPROXIMATE_MARGIN, up_to: 0), speculative 0',
  })
  low: number;

  @ApiProperty({ description: 'The high of total: each record from its bounds, else its qualifier (approximate: +APPROXIMATE_MARGIN)' })
  high: number;

  @ApiProperty({ description: 'Counted records with an amount in the period and no known upper bound (at_least without amountHigh)' })
  openAbove: number;

  @ApiProperty({ type: CapacityExclusionsDoc })
  excluded: CapacityExclusionsDoc;
}

@ApiSchema({ name: 'CapacitySummaryResponse' })
export class CapacitySummaryResponseDoc implements CapacitySummaryResponse {
  @ApiProperty({ enum: METRICS })
  metric: Metric;

  @ApiProperty({ enum: PRECISIONS })
  precision: Precision;

  @ApiProperty({ enum: BASES })
  basis: Basis;

  @ApiProperty({ description: 'Everything counted in the period (the total of GET /api/capacity)' })
  total: number;

  @ApiProperty({ description: 'The low of total (the low of GET /api/capacity)' })
  low: number;

  @ApiProperty({ description: 'The high of total (the high of GET /api/capacity)' })
  high: number;

  @ApiProperty({ description: 'Counted records in the period with no known upper bound' })
  openAbove: number;

  @ApiProperty({ description: 'Companies with a counted amount in the period' })
  companies: number;

  @ApiProperty({ description: 'Records with a counted amount in the period' })
  recordsCounted: number;

  @ApiProperty({ type: CapacityExclusionsDoc })
  excluded: CapacityExclusionsDoc;

  @ApiProperty({ type: String, nullable: true, example: '2025-11-04', description: 'Latest announcement among the records counted' })
  latestAnnouncedOn: string | null;
}

@ApiSchema({ name: 'TopCompany' })
class TopCompanyDoc implements TopCompany {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Meta' })
  name: string;

  @ApiProperty({ description: 'Everything the company has counted in the period' })
  total: number;

  @ApiProperty({ description: 'The low of total' })
  low: number;

  @ApiProperty({ description: 'The high of total' })
  high: number;
}

@ApiSchema({ name: 'TopCompaniesResponse' })
export class TopCompaniesResponseDoc implements TopCompaniesResponse {
  @ApiProperty({ enum: METRICS })
  metric: Metric;

  @ApiProperty({ enum: PRECISIONS })
  precision: Precision;

  @ApiProperty({ enum: BASES })
  basis: Basis;

  @ApiProperty({ type: [TopCompanyDoc], description: 'Largest total first, ties by name' })
  companies: TopCompanyDoc[];
}
