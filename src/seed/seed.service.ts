import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import { AcceleratorsService } from '../accelerators/accelerators.service.js';
import { CreateAcceleratorDto } from '../accelerators/dto/accelerator.dto.js';
import { projectPath } from '../common/project-root.js';
import { fieldErrors } from '../common/validation.js';
import { oneInstanceAtATime } from '../database/instance-lock.js';
import { ImportsService } from '../imports/imports.service.js';
import { type FirstAdmin, UsersService } from '../users/users.service.js';

export const SEED_OPTIONS = Symbol('SEED_OPTIONS');

export interface SeedOptions {
  /** Load the demo announcements on the first start. */
  demoData: boolean;
  /** Made when there are no users at all (see UsersService.ensureFirstAdmin). */
  firstAdmin: FirstAdmin;
  /** With the demo data, a demo analyst and viewer whose generated passwords are printed once (embedded default). */
  demoAccounts: boolean;
}

interface CatalogRow {
  name: string;
  vendor: string;
  kind: string;
  aliases: string;
  dense_fp32_tflops: string;
  dense_bf16_tflops: string;
  dense_fp8_tflops: string;
  dense_int8_tops: string;
  memory_gb: string;
  tdp_watts: string;
  released: string;
  release_price_usd: string;
  note: string;
  source: string;
}

const optionalNumber = (text: string) => (text.trim() === '' ? null : Number(text));

/**
 * Loads the chip catalog and, when asked, the demo data set — each once, never twice, even with several instances
 * starting together.
 */
@Injectable()
export class SeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger(SeedService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accelerators: AcceleratorsService,
    private readonly imports: ImportsService,
    private readonly users: UsersService,
    @Inject(SEED_OPTIONS) private readonly options: SeedOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await oneInstanceAtATime(this.dataSource, 'seed', async () => {
      await this.users.ensureFirstAdmin(this.options.firstAdmin);
      await this.once('catalog_loaded', () => this.loadCatalog());
      if (this.options.demoData) await this.once('demo_loaded', () => this.loadDemo());
    });
  }

  private async once(flag: string, load: () => Promise<string>): Promise<void> {
    const done = await this.dataSource.query('SELECT 1 FROM app_state WHERE key = $1', [flag]);
    if (done.length > 0) return;
    const summary = await load();
    await this.dataSource.query('INSERT INTO app_state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [
      flag,
      JSON.stringify({ at: new Date().toISOString(), summary }),
    ]);
    this.logger.log(summary);
  }

  private async loadCatalog(): Promise<string> {
    const rows: CatalogRow[] = parse(readFileSync(projectPath('src/seed/accelerators.csv')), { columns: true, bom: true });
    let created = 0;
    await this.dataSource.transaction(async (manager) => {
      for (const row of rows) {
        if (await this.accelerators.findByNameOrAlias(row.name, manager)) continue;
        const dto = plainToInstance(CreateAcceleratorDto, {
          name: row.name,
          vendor: row.vendor,
          kind: row.kind,
          aliases: row.aliases.split('|').filter(Boolean),
          denseFp32Tflops: optionalNumber(row.dense_fp32_tflops),
          denseBf16Tflops: optionalNumber(row.dense_bf16_tflops),
          denseFp8Tflops: optionalNumber(row.dense_fp8_tflops),
          denseInt8Tops: optionalNumber(row.dense_int8_tops),
          memoryGb: optionalNumber(row.memory_gb),
          tdpWatts: optionalNumber(row.tdp_watts),
          releaseYear: optionalNumber(row.released),
          releasePriceUsd: optionalNumber(row.release_price_usd),
          note: row.note || null,
          specSource: row.source || null,
        });
        const errors = fieldErrors(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true }));
        if (errors.length > 0) throw new Error(`catalog row ${row.name} is invalid: ${JSON.stringify(errors)}`);
        await this.accelerators.create(dto, null, manager);
        created++;
      }
    });
    return `chip catalog loaded: ${created} chips`;
  }

  private async loadDemo(): Promise<string> {
    const report = await this.imports.importCsv(readFileSync(projectPath('src/seed/announcements.csv'), 'utf8'), { dryRun: false });
    if (this.options.demoAccounts) await this.users.createDemoAccounts();
    return `demo data loaded: ${report.created} commitments created, ${report.unchanged} already present`;
  }
}
