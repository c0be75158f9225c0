import { Injectable } from '@nestjs/common';
import { AcceleratorsService } from '../accelerators/accelerators.service.js';
import { CompaniesService } from '../companies/companies.service.js';
import { extractCommitments } from '../domain/extraction/extract.js';
import type { ExtractionResult } from '../domain/extraction/types.js';
import type { ExtractDto } from './dto/extract.dto.js';

@Injectable()
export class ExtractionService {
  constructor(
    private readonly companies: CompaniesService,
    private readonly accelerators: AcceleratorsService,
  ) {}

  /** Reads the text against the current catalog of companies and chips (names and aliases). */
  async extract(dto: ExtractDto): Promise<ExtractionResult> {
    const [companies, accelerators] = await Promise.all([this.companies.list(), this.accelerators.list()]);
    return extractCommitments(
      { text: dto.text, publishedOn: dto.publishedOn, language: dto.language },
      {
        companies: companies.map(({ id, name, aliases }) => ({ id, name, aliases })),
        accelerators: accelerators.map(({ id, name, vendor, kind, aliases }) => ({ id, name, vendor, kind, aliases })),
      },
    );
  }
}
