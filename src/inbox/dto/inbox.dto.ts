import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageNumber, PageSize } from '../../common/decorators.js';
import { CreateCommitmentDto } from '../../commitments/dto/commitment.dto.js';
import { ACCELERATOR_KINDS, type AcceleratorKind, INBOX_STATUSES, type InboxStatus } from '../../domain/vocabulary.js';

export class ListInboxQuery {
  @ApiPropertyOptional({ enum: INBOX_STATUSES, description: 'No status: every item' })
  @IsOptional()
  @IsIn(INBOX_STATUSES, { message: `status must be one of ${INBOX_STATUSES.join(', ')}` })
  status?: InboxStatus;

  @ApiPropertyOptional({ type: String, format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'feedId must be a UUID' })
  feedId?: string;

  @PageNumber()
  page = 1;

  @PageSize()
  limit = 50;
}

/** A catalog entry the analyst chose: its id (the name is what the extraction read, sent back as it came). */
export class ChosenRefDto {
  @ApiProperty({ type: String, format: 'uuid' })
  @IsUUID('all', { message: 'id must be the UUID of a catalog entry (add a name the catalog lacks first)' })
  id: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 200)
  name?: string;
}

export class EvidenceInputDto {
  @ApiProperty()
  @IsString()
  @Length(0, 5000)
  text: string;

  @ApiProperty()
  @IsInt()
  @Min(0)
  start: number;

  @ApiProperty()
  @IsInt()
  @Min(0)
  end: number;
}

/**
 * A candidate as the analyst accepts it: the shape `GET /api/inbox` gives (so an unedited one can be sent back as
 * it came), with the company and the chip chosen from the catalog, and what a record adds (certainty, notes, the
 * record it revises).
 */
export class AcceptedCandidateDto extends PickType(CreateCommitmentDto, [
  'quantity',
  'quantityQualifier',
  'amountLow',
  'amountHigh',
  'deliveryFrom',
  'deliveryBy',
  'status',
  'certainty',
  'supersedesId',
  'notes',
] as const) {
  @ApiProperty({ type: ChosenRefDto })
  @ValidateNested()
  @Type(() => ChosenRefDto)
  company: ChosenRefDto;

  @ApiPropertyOptional({ type: ChosenRefDto, nullable: true, description: 'Null: the chip is not known (acceleratorKind says which kind)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ChosenRefDto)
  accelerator?: ChosenRefDto | null;

  @ApiProperty({ enum: ACCELERATOR_KINDS })
  @IsIn(ACCELERATOR_KINDS, { message: 'acceleratorKind must be gpu or custom' })
  acceleratorKind: AcceleratorKind;

  @ApiPropertyOptional({ type: EvidenceInputDto, description: 'The sentence the candidate was read from: the record quotes it' })
  @IsOptional()
  @ValidateNested()
  @Type(() => EvidenceInputDto)
  evidence?: EvidenceInputDto;

  @ApiPropertyOptional({ description: 'The quote to keep instead of the evidence sentence' })
  @IsOptional()
  @IsString()
  @Length(1, 5000)
  quote?: string;

  @ApiPropertyOptional({ type: [String], description: 'As GET gave it; ignored' })
  @IsOptional()
  @IsArray()
  @IsUUID('all', { each: true })
  possibleDuplicates?: string[];
}

export class AcceptItemDto {
  @ApiProperty({ type: [AcceptedCandidateDto], minItems: 1, maxItems: 50 })
  @IsArray()
  @ArrayMinSize(1, { message: 'candidates must hold at least one candidate (dismiss an item that has none worth keeping)' })
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => AcceptedCandidateDto)
  candidates: AcceptedCandidateDto[];
}
