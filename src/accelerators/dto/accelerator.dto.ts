import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsNumber, IsOptional, IsPositive, IsString, Length, Max, Min } from 'class-validator';
import { Trim } from '../../common/text.js';
import { ACCELERATOR_KINDS, type AcceleratorKind } from '../../domain/vocabulary.js';

const finite = { allowNaN: false, allowInfinity: false };

export class CreateAcceleratorDto {
  @ApiProperty({ type: String, example: 'H100 SXM' })
  @Trim()
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ type: String, example: 'Nvidia' })
  @Trim()
  @IsString()
  @Length(1, 100)
  vendor: string;

  @ApiProperty({ enum: ACCELERATOR_KINDS })
  @IsIn(ACCELERATOR_KINDS)
  kind: AcceleratorKind;

  @ApiPropertyOptional({ type: [String], example: ['H100', 'H100 SXM5'] })
  @IsOptional()
  @Trim()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  aliases?: string[];

  @ApiPropertyOptional({ type: Number, description: 'Dense FP32 TFLOP/s; null when unknown', example: 66.9, nullable: true })
  @IsOptional()
  @IsNumber(finite)
  @IsPositive()
  @Max(1_000_000)
  denseFp32Tflops?: number | null;

  @ApiPropertyOptional({ type: Number, description: 'Dense BF16/FP16 tensor TFLOP/s; null when unknown', example: 989, nullable: true })
  @IsOptional()
  @IsNumber(finite)
  @IsPositive()
  @Max(1_000_000)
  denseBf16Tflops?: number | null;

  @ApiPropertyOptional({ type: Number, description: 'Dense FP8 TFLOP/s; null when unknown', example: 1979, nullable: true })
  @IsOptional()
  @IsNumber(finite)
  @IsPositive()
  @Max(1_000_000)
  denseFp8Tflops?: number | null;

  @ApiPropertyOptional({ type: Number, description: 'Dense INT8 TOP/s; null when unknown', example: 1979, nullable: true })
  @IsOptional()
  @IsNumber(finite)
  @IsPositive()
  @Max(1_000_000)
  denseInt8Tops?: number | null;

  @ApiPropertyOptional({ type: Number, example: 80, nullable: true })
  @IsOptional()
  @IsNumber(finite)
  @IsPositive()
  @Max(100_000)
  memoryGb?: number | null;

  @ApiPropertyOptional({ type: Number, example: 700, nullable: true })
  @IsOptional()
  @IsNumber(finite)
  @IsPositive()
  @Max(1_000_000)
  tdpWatts?: number | null;

  @ApiPropertyOptional({ type: 'integer', example: 2022, nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1990)
  @Max(2100)
  releaseYear?: number | null;

  @ApiPropertyOptional({ type: Number, description: 'Price at release, US dollars; null when unknown', example: 33600, nullable: true })
  @IsOptional()
  @IsNumber(finite)
  @IsPositive()
  @Max(100_000_000)
  releasePriceUsd?: number | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  note?: string | null;

  @ApiPropertyOptional({ type: String, description: 'Where the specifications come from', nullable: true })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  specSource?: string | null;
}

export class UpdateAcceleratorDto extends PartialType(CreateAcceleratorDto) {
  @ApiPropertyOptional({
    type: 'integer',
    description: 'The version read; required unless an If-Match header carries it. A stale one is a 409',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}
