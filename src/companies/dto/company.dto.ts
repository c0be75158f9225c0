import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Length, Matches, Min } from 'class-validator';
import { Trim } from '../../common/text.js';
import { COMPANY_KINDS, type CompanyKind } from '../../domain/vocabulary.js';

export class CreateCompanyDto {
  @ApiProperty({ type: String, example: 'Meta' })
  @Trim()
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['Meta Platforms', 'Facebook'],
    description: 'Other names, used by extraction and import',
  })
  @IsOptional()
  @Trim()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  aliases?: string[];

  @ApiPropertyOptional({ type: String, example: 'US', description: 'ISO 3166 alpha-2' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166 alpha-2 code such as US' })
  country?: string | null;

  @ApiPropertyOptional({ enum: COMPANY_KINDS, default: 'other' })
  @IsOptional()
  @IsIn(COMPANY_KINDS)
  kind?: CompanyKind;
}

export class UpdateCompanyDto extends PartialType(CreateCompanyDto) {
  @ApiPropertyOptional({
    type: 'integer',
    description: 'The version read; required unless an If-Match header carries it. A stale one is a 409',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}
