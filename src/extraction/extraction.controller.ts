import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { ExtractionResult } from '../domain/extraction/types.js';
import { ExtractDto, MAX_EXTRACT_TEXT_LENGTH } from './dto/extract.dto.js';
import { ExtractionResultDto } from './dto/extraction-result.dto.js';
import { ExtractionService } from './extraction.service.js';

@ApiTags('extraction')
@Controller('extract')
export class ExtractionController {
  constructor(private readonly extraction: ExtractionService) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Suggest commitment records from a pasted text',
    description:
      'Rule-based and offline: finds companies and chips of the catalog (names and aliases), quantities with their qualifier, ' +
      'delivery periods relative to publishedOn, and a status from the verbs, in English and Indonesian (numbers also in ' +
      'French, Korean and Japanese formats). Writes nothing.',
  })
  @ApiOkResponse({ type: ExtractionResultDto })
  @ApiBadRequestResponse({
    description: `text missing, empty or over ${MAX_EXTRACT_TEXT_LENGTH} characters; publishedOn not a date; unknown fields`,
  })
  @ApiPayloadTooLargeResponse({ description: 'The JSON body is over 1 MB' })
  @ApiUnprocessableEntityResponse({ description: 'Reading the text took longer than EXTRACTION_TIME_LIMIT_MS; details name text' })
  @ApiServiceUnavailableResponse({ description: 'Every extraction thread is busy and the queue is full; retry after Retry-After seconds' })
  extract(@Body() dto: ExtractDto): Promise<ExtractionResult> {
    return this.extraction.extract(dto);
  }
}
