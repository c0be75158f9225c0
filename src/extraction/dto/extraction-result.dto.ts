import { ApiProperty } from '@nestjs/swagger';
import { ACCELERATOR_KINDS, COMMITMENT_STATUSES, QUANTITY_QUALIFIERS } from '../../domain/vocabulary.js';
import type { AcceleratorKind, CommitmentStatus, QuantityQualifier } from '../../domain/vocabulary.js';

// The shapes of src/domain/extraction/types.ts, described for the OpenAPI document.

export class NamedRefDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The catalog id; null when the catalog lacks the name' })
  id: string | null;

  @ApiProperty({ example: 'Meta', description: 'The catalog name where matched, else the name as written' })
  name: string;
}

export class EvidenceDto {
  @ApiProperty({ description: 'The sentence stating the commitment: text.slice(start, end) of the request' })
  text: string;

  @ApiProperty({ description: 'Offset of its first character (UTF-16 code units, as JavaScript counts)' })
  start: number;

  @ApiProperty({ description: 'Offset just after its last character' })
  end: number;
}

export class CandidateDto {
  @ApiProperty({ type: NamedRefDto, nullable: true, description: 'The buyer; null when the text names none' })
  company: NamedRefDto | null;

  @ApiProperty({ type: NamedRefDto, nullable: true, description: 'The chip; null when named only generically ("its custom chip", "GPUs")' })
  accelerator: NamedRefDto | null;

  @ApiProperty({ enum: ACCELERATOR_KINDS })
  acceleratorKind: AcceleratorKind;

  @ApiProperty({ type: Number, nullable: true, example: 350000, description: 'Units; null when undisclosed' })
  quantity: number | null;

  @ApiProperty({ enum: QUANTITY_QUALIFIERS, nullable: true, description: '"more than N" is at_least; null with no quantity' })
  quantityQualifier: QuantityQualifier | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    example: 300000,
    description:
      'Low end of a range the text states ("between 300,000 and 400,000", "30万〜40万"); quantity is then the midpoint, ' +
      'approximate, or the figure the text gives beside the range. Null without a range: "up to" and "at least" stay qualifiers.',
  })
  amountLow: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 400000, description: 'High end of the range; amountLow ≤ quantity ≤ amountHigh' })
  amountHigh: number | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'Null where the window starts at its default (the quarter of publication, or deliveryBy where earlier)',
  })
  deliveryFrom: string | null;

  @ApiProperty({ type: String, nullable: true, example: '2024-Q4' })
  deliveryBy: string | null;

  @ApiProperty({ enum: COMMITMENT_STATUSES })
  status: CommitmentStatus;

  @ApiProperty({ type: EvidenceDto })
  evidence: EvidenceDto;
}

export class ExtractionResultDto {
  @ApiProperty({
    example: 'id',
    description: 'The language given, or the one detected (ISO 639-1, e.g. en, id, fr, de, ko, ja, zh); und where it cannot be told',
  })
  language: string;

  @ApiProperty({
    example: false,
    description: 'True for a text in a language the extraction cannot read (it reads en, id, ms, fr, de, ko, ja): candidates is then empty',
  })
  unsupported: boolean;

  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'A sentence for the analyst about the answer, such as why an unsupported text gave nothing; null otherwise',
  })
  notice: string | null;

  @ApiProperty({ type: [CandidateDto] })
  candidates: CandidateDto[];
}
