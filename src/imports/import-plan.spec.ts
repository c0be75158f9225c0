import { plainToInstance } from 'class-transformer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CreateCommitmentDto } from '../commitments/dto/commitment.dto.js';
import { type CommitmentFields, commitmentDto } from './import-plan.js';

describe('commitmentDto', () => {
  it('builds what plainToInstance builds from a row’s trimmed cells', () => {
    // Cells as the reader hands them out: trimmed text, or a number where the cell is one, or absent.
    const cell = fc.option(
      fc.oneof(
        fc.string().map((text) => text.trim()),
        fc.double(),
        fc.integer(),
      ),
      { nil: undefined },
    );
    const text = fc.option(
      fc.string().map((value) => value.trim()),
      { nil: undefined },
    );
    const fields = fc.record({
      key: cell,
      companyId: cell,
      acceleratorId: cell,
      acceleratorKind: cell,
      quantity: cell,
      quantityQualifier: cell,
      statedH100e: cell,
      statedPowerMw: cell,
      announcedOn: cell,
      deliveryFrom: cell,
      deliveryBy: cell,
      status: cell,
      certainty: cell,
      notes: cell,
      sources: fc.tuple(fc.record({ url: text, title: text, publisher: text, publishedOn: text, language: text, quote: text })),
    });
    fc.assert(
      fc.property(fields, (row) => {
        const plain = row as CommitmentFields;
        expect(commitmentDto(plain)).toStrictEqual(plainToInstance(CreateCommitmentDto, plain));
      }),
      { numRuns: 2000 },
    );
  });
});
