import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsQuarter } from '../../common/decorators.js';
import { MAX_SOURCES } from '../../domain/commitment-fields.js';
import { Trim } from '../../common/text.js';
import { IsCalendarDate, IsCountryCode, IsQuarterNotAfter } from '../../common/validators.js';
import {
  ACCELERATOR_KINDS,
  type AcceleratorKind,
  CERTAINTIES,
  type Certainty,
  COMMITMENT_STATUSES,
  type CommitmentStatus,
  QUANTITY_QUALIFIERS,
  type QuantityQualifier,
} from '../../domain/vocabulary.js';

const finite = { allowNaN: false, allowInfinity: false };

export class SourceDto {
  @ApiPropertyOptional({ type: String, example: 'https://www.example.com/news/meta-gpus', description: 'A url or a title is required' })
  @ValidateIf((source: SourceDto) => source.url !== undefined || !source.title)
  @IsDefined({ message: 'url or title is required' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'url must be an http(s) URL' })
  @Length(1, 2000)
  url?: string | null;

  @ApiPropertyOptional({ type: String, example: 'Meta will have 350,000 H100 GPUs by the end of the year' })
  @ValidateIf((source: SourceDto) => source.title !== undefined || !source.url)
  @Trim()
  @IsString({ message: 'title must be a string (a url or a title is required)' })
  @Length(1, 500)
  title?: string | null;

  @ApiPropertyOptional({ type: String, example: 'Reuters' })
  @IsOptional()
  @Trim()
  @IsString()
  @Length(0, 200)
  publisher?: string | null;

  @ApiPropertyOptional({ type: String, example: '2024-01-19' })
  @IsOptional()
  @IsCalendarDate()
  publishedOn?: string | null;

  @ApiPropertyOptional({ type: String, example: 'en', description: 'ISO 639-1 code' })
  @IsOptional()
  @Matches(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, { message: 'language must be a language code such as en or id' })
  language?: string | null;

  @ApiPropertyOptional({ type: String, description: 'The words of the source that support the figures' })
  @IsOptional()
  @IsString()
  @Length(0, 5000)
  quote?: string | null;
}

export class CreateCommitmentDto {
  @ApiPropertyOptional({ type: String, description: 'External key (from an import file); unique', example: 'meta-h100-2024' })
  @IsOptional()
  @Trim()
  @IsString()
  @Length(1, 200)
  key?: string | null;

  @ApiProperty({ type: String, format: 'uuid' })
  @IsUUID('all', { message: 'companyId must be a UUID' })
  companyId: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'Null when the chip is not known' })
  @IsOptional()
  @IsUUID('all', { message: 'acceleratorId must be a UUID' })
  acceleratorId?: string | null;

  @ApiPropertyOptional({ enum: ACCELERATOR_KINDS, description: 'Required when acceleratorId is null; else taken from the chip' })
  @ValidateIf((dto: CreateCommitmentDto) => dto.acceleratorKind !== undefined || !dto.acceleratorId)
  @IsIn(ACCELERATOR_KINDS, { message: 'acceleratorKind must be gpu or custom (required when acceleratorId is null)' })
  acceleratorKind?: AcceleratorKind;

  @ApiPropertyOptional({ type: 'integer', example: 350000, nullable: true, description: 'Units; null when undisclosed' })
  @IsOptional()
  @IsInt({ message: 'quantity must be a whole number' })
  @Min(1, { message: 'quantity must be positive' })
  @Max(100_000_000)
  quantity?: number | null;

  @ApiPropertyOptional({ enum: QUANTITY_QUALIFIERS, description: 'Defaults to exact when a quantity is given' })
  @IsOptional()
  @IsIn(QUANTITY_QUALIFIERS)
  quantityQualifier?: QuantityQualifier | null;

  @ApiPropertyOptional({ type: Number, example: 600000, nullable: true, description: 'H100-equivalents stated by the source' })
  @IsOptional()
  @IsNumber(finite)
  @IsPositive()
  @Max(1_000_000_000)
  statedH100e?: number | null;

  @ApiPropertyOptional({ type: Number, example: 1000, nullable: true, description: 'Power stated by the source, in MW' })
  @IsOptional()
  @IsNumber(finite)
  @IsPositive()
  @Max(1_000_000)
  statedPowerMw?: number | null;

  @ApiPropertyOptional({
    type: Number,
    example: 300000,
    nullable: true,
    description:
      'Low end of the range of the primary amount (quantity, else statedH100e, else statedPowerMw), in its unit; at most the amount',
  })
  @IsOptional()
  @IsNumber(finite, { message: 'amountLow must be a number' })
  @Min(0, { message: 'amountLow must not be negative' })
  @Max(1_000_000_000)
  amountLow?: number | null;

  @ApiPropertyOptional({
    type: Number,
    example: 400000,
    nullable: true,
    description: 'High end of the range of the primary amount, in its unit; at least the amount',
  })
  @IsOptional()
  @IsNumber(finite, { message: 'amountHigh must be a number' })
  @IsPositive({ message: 'amountHigh must be positive' })
  @Max(1_000_000_000)
  amountHigh?: number | null;

  @ApiProperty({ type: String, example: '2024-01-18' })
  @IsCalendarDate()
  announcedOn: string;

  @IsQuarter({ optional: true, description: 'First delivery quarter; defaults to the quarter of announcedOn' })
  @IsQuarterNotAfter('deliveryBy')
  deliveryFrom?: string | null;

  @IsQuarter({ optional: true, description: 'Last delivery quarter; defaults to deliveryFrom' })
  deliveryBy?: string | null;

  @ApiProperty({ enum: COMMITMENT_STATUSES })
  @IsIn(COMMITMENT_STATUSES)
  status: CommitmentStatus;

  @ApiPropertyOptional({ enum: CERTAINTIES, default: 'likely' })
  @IsOptional()
  @IsIn(CERTAINTIES)
  certainty?: Certainty;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'The record this one revises' })
  @IsOptional()
  @IsUUID('all', { message: 'supersedesId must be a UUID' })
  supersedesId?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The company that owns and runs the chips when companyId uses them through a cloud, rental or lease deal',
  })
  @IsOptional()
  @IsUUID('all', { message: 'hostCompanyId must be a UUID' })
  hostCompanyId?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: "The record whose chips include this record's (a tenant's share, a sub-cluster, a phase)",
  })
  @IsOptional()
  @IsUUID('all', { message: 'partOfId must be a UUID' })
  partOfId?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'US', description: 'ISO 3166 alpha-2 of where the chips are deployed' })
  @IsOptional()
  @IsCountryCode()
  siteCountry?: string | null;

  @ApiProperty({ type: [SourceDto], minItems: 1, maxItems: MAX_SOURCES })
  @IsArray()
  @ArrayMinSize(1, { message: 'sources must hold at least one source' })
  @ArrayMaxSize(MAX_SOURCES, { message: `sources must hold at most ${MAX_SOURCES} sources` })
  @ValidateNested({ each: true })
  @Type(() => SourceDto)
  sources: SourceDto[];

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @Length(0, 10_000)
  notes?: string | null;
}

export class UpdateCommitmentDto extends PartialType(CreateCommitmentDto) {
  @ApiPropertyOptional({
    type: 'integer',
    description: 'The version read; required unless an If-Match header carries it. A stale one is a 409',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

/** The most records one batch may create: an article's worth, with room to spare. */
export const MAX_BATCH_ITEMS = 200;

export class CreateCommitmentBatchDto {
  @ApiProperty({ type: [CreateCommitmentDto], minItems: 1, maxItems: MAX_BATCH_ITEMS })
  @IsArray()
  @ArrayMinSize(1, { message: 'items must hold at least one commitment' })
  @ArrayMaxSize(MAX_BATCH_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => CreateCommitmentDto)
  items: CreateCommitmentDto[];
}
