import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsCalendarDate } from '../../common/validators.js';

/** The longest text extraction reads (about 15,000 words): a long article, well within the 1 MB body limit. */
export const MAX_EXTRACT_TEXT_LENGTH = 100_000;

export class ExtractDto {
  @ApiProperty({
    description: 'The article or announcement, as pasted. Evidence offsets index into it unchanged (it is not trimmed).',
    maxLength: MAX_EXTRACT_TEXT_LENGTH,
    example: 'Meta berencana mengamankan sekitar 350.000 unit GPU H100 pada akhir tahun ini.',
  })
  @IsString()
  @Matches(/\S/, { message: 'text must not be empty' })
  @MaxLength(MAX_EXTRACT_TEXT_LENGTH, { message: `text must be at most ${MAX_EXTRACT_TEXT_LENGTH} characters` })
  text: string;

  @ApiProperty({ description: 'Publication date of the text; relative dates ("this year") are read from it', example: '2024-02-28' })
  @IsCalendarDate()
  publishedOn: string;

  @ApiPropertyOptional({ description: 'ISO 639-1 code of the language; detected from the text when absent', example: 'id' })
  @IsOptional()
  @Matches(/^[a-z]{2,3}$/, { message: 'language must be an ISO 639 code such as en or id' })
  language?: string;
}
