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
  @ApiProperty({ example: 'id', description: 'The language given, or the one detected (en, id, fr, de, es, ko, ja, zh)' })
  language: string;

  @ApiProperty({ type: [CandidateDto] })
  candidates: CandidateDto[];
}
