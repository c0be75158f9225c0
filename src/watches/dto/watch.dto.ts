import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Length, ValidateNested, IsDefined, IsObject } from 'class-validator';
import type { WatchFilter } from '../../contracts/watches.js';
import { QueryBoolean } from '../../common/decorators.js';
import { Trim } from '../../common/text.js';
import { ACCELERATOR_KINDS, type AcceleratorKind, COMMITMENT_STATUSES, type CommitmentStatus } from '../../domain/vocabulary.js';

/** A dashboard filter, as the dashboard's own query names its parts; an empty filter watches the whole ledger. */
export class WatchFilterDto implements WatchFilter {
  @ApiPropertyOptional({ type: [String], description: 'Company ids' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true, message: 'filter.companyId must hold UUIDs' })
  companyId?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Chip vendors (case-insensitive)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  vendor?: string[];

  @ApiPropertyOptional({ enum: ACCELERATOR_KINDS, isArray: true })
  @IsOptional()
  @IsArray()
  @IsIn(ACCELERATOR_KINDS, { each: true, message: 'filter.kind must hold gpu or custom' })
  kind?: AcceleratorKind[];

  @ApiPropertyOptional({
    enum: COMMITMENT_STATUSES,
    isArray: true,
    description: 'Statuses counted; default announced, confirmed, delivered',
  })
  @IsOptional()
  @IsArray()
  @IsIn(COMMITMENT_STATUSES, { each: true, message: `filter.status must hold ${COMMITMENT_STATUSES.join(', ')}` })
  status?: CommitmentStatus[];
}

export class CreateWatchDto {
  @ApiProperty({ example: 'Microsoft, Nvidia chips' })
  @Trim()
  @IsString()
  @Length(1, 200, { message: 'name must be 1 to 200 characters' })
  name: string;

  @ApiProperty({ type: WatchFilterDto })
  @IsDefined({ message: 'filter is required (an empty object watches the whole ledger)' })
  @IsObject({ message: 'filter must be an object' })
  @ValidateNested()
  @Type(() => WatchFilterDto)
  filter: WatchFilterDto;
}

export class ListNotificationsQuery {
  @ApiPropertyOptional({ type: Boolean, description: 'Only the notifications not yet read' })
  @IsOptional()
  @QueryBoolean()
  @IsIn([true, false], { message: 'unread must be true or false' })
  unread?: boolean;
}
