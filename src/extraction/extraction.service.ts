import { HttpStatus, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { AcceleratorsService } from '../accelerators/accelerators.service.js';
import { CompaniesService } from '../companies/companies.service.js';
import { DomainError } from '../common/errors.js';
import { Environment } from '../config/environment.js';
import type { ExtractionResult } from '../domain/extraction/types.js';
import type { ExtractDto } from './dto/extract.dto.js';
import { ExtractionPool, ExtractionPoolSaturated, ExtractionTimeout } from './extraction-pool.js';

/** Seconds a client is asked to wait when every extraction thread is busy. */
const RETRY_AFTER_SECONDS = 2;

@Injectable()
export class ExtractionService implements OnModuleDestroy {
  private readonly pool: ExtractionPool;

  constructor(
    private readonly companies: CompaniesService,
    private readonly accelerators: AcceleratorsService,
    private readonly environment: Environment,
  ) {
    this.pool = new ExtractionPool({ timeLimitMs: environment.EXTRACTION_TIME_LIMIT_MS });
  }

  /** Reads the text against the current catalog of companies and chips (names and aliases), on the extraction pool. */
  async extract(dto: ExtractDto): Promise<ExtractionResult> {
    const [companies, accelerators] = await Promise.all([this.companies.list(), this.accelerators.list()]);
    try {
      return await this.pool.extract(
        { text: dto.text, publishedOn: dto.publishedOn, language: dto.language },
        {
          companies: companies.map(({ id, name, aliases }) => ({ id, name, aliases })),
          accelerators: accelerators.map(({ id, name, vendor, kind, aliases }) => ({ id, name, vendor, kind, aliases })),
        },
      );
    } catch (error) {
      if (error instanceof ExtractionTimeout) {
        const message = `reading it took longer than ${this.environment.EXTRACTION_TIME_LIMIT_MS} ms (EXTRACTION_TIME_LIMIT_MS): send a shorter text, such as one article or section at a time`;
        throw new DomainError(HttpStatus.UNPROCESSABLE_ENTITY, `text: ${message}`, [{ field: 'text', messages: [message] }]);
      }
      if (error instanceof ExtractionPoolSaturated) {
        throw new DomainError(
          HttpStatus.SERVICE_UNAVAILABLE,
          `Every extraction thread is busy with other texts: retry in ${RETRY_AFTER_SECONDS} s`,
          undefined,
          undefined,
          { 'Retry-After': String(RETRY_AFTER_SECONDS) },
        );
      }
      throw error;
    }
  }

  onModuleDestroy(): void {
    this.pool.close();
  }
}
