import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { Request } from 'express';
import type { DataSource, EntityManager } from 'typeorm';
import { type AuditRecord, AuditTrail, snapshot } from '../contracts/audit.js';
import { bumpLedgerVersion } from '../database/capacity-rollup.js';
import { readCsvTable, requireColumns } from '../common/csv-table.js';
import { DomainError } from '../common/errors.js';
import { readCsvUpload } from '../common/text-upload.js';
import { fieldErrors } from '../common/validation.js';
import { Environment } from '../config/environment.js';
import { EPOCH_HARDWARE_CREDIT } from '../domain/epoch/credit.js';
import {
  catalogChanges,
  EPOCH_HARDWARE_COLUMNS,
  type EpochHardwareChip,
  MANUFACTURER_COLUMN,
  NAME_COLUMN,
  planEpochCatalog,
  readEpochHardwareRow,
  SPEC_COLUMNS,
} from '../domain/epoch/hardware.js';
import type { ImportError, ImportReport } from '../contracts/import-report.js';
import { Accelerator } from './accelerator.entity.js';
import { CreateAcceleratorDto, UpdateAcceleratorDto } from './dto/accelerator.dto.js';

export interface EpochImportOptions {
  dryRun: boolean;
  actorId: string | null;
}

/** The Epoch column a catalog field comes from, for errors the catalog's own rules find. */
const COLUMN_OF_FIELD: Record<string, string> = {
  name: NAME_COLUMN,
  aliases: NAME_COLUMN,
  vendor: MANUFACTURER_COLUMN,
  ...Object.fromEntries(Object.entries(SPEC_COLUMNS).map(([field, { columns }]) => [field, columns[0]])),
};

type Write =
  | { kind: 'create'; line: number; dto: CreateAcceleratorDto }
  | { kind: 'update'; line: number; chip: Accelerator; dto: UpdateAcceleratorDto };

/**
 * Creates and updates catalog chips from Epoch AI's hardware list (`ml_hardware.csv`), in one transaction: every row
 * matched or created, or nothing written (422 with the report). Rows are matched by the rules of
 * `domain/epoch/hardware.ts`; each chip changed gets an `import` audit entry, and the ledger version moves so that
 * capacity answers are computed again with the new specs.
 */
@Injectable()
export class EpochHardwareImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    private readonly environment: Environment,
  ) {}

  async importRequest(request: Request, options: EpochImportOptions): Promise<ImportReport> {
    return this.importCsv(await readCsvUpload(request, this.environment.IMPORT_MAX_BYTES), options);
  }

  async importCsv(csv: string, options: EpochImportOptions): Promise<ImportReport> {
    const { header, rows } = readCsvTable(csv);
    requireColumns(header, EPOCH_HARDWARE_COLUMNS, "Epoch AI's hardware list (ml_hardware.csv)");
    const errors: ImportError[] = [];
    const chips: { line: number; chip: EpochHardwareChip }[] = [];
    for (const { line, cells, width } of rows) {
      if (width > header.length) {
        errors.push({ line, field: 'row', message: `the row has ${width} fields; the header has ${header.length}` });
        continue;
      }
      const read = readEpochHardwareRow(cells);
      if ('chip' in read) chips.push({ line, chip: read.chip });
      else errors.push(...read.problems.map((problem) => ({ line, ...problem })));
    }

    return this.dataSource.transaction(async (manager) => {
      // Two imports at once would both create the chips neither has seen; catalog edits wait for the import too.
      if (!options.dryRun) await manager.query('LOCK TABLE accelerators IN SHARE ROW EXCLUSIVE MODE');
      const catalog = await manager.find(Accelerator);
      const plan = planEpochCatalog(chips, catalog);
      errors.push(...plan.problems);
      const byId = new Map(catalog.map((chip) => [chip.id, chip]));
      const writes: Write[] = [];
      let unchanged = 0;
      for (const action of plan.actions) {
        if (action.matchedId !== undefined) {
          const chip = byId.get(action.matchedId)!;
          const changes = catalogChanges(chip, action.chip);
          if (Object.keys(changes).length === 0) unchanged++;
          else writes.push({ kind: 'update', line: action.line, chip, dto: checked(UpdateAcceleratorDto, changes, action.line, errors) });
        } else {
          const { name, vendor } = action.create;
          const fields = {
            name,
            vendor,
            kind: action.chip.kind,
            aliases: name === action.chip.epochName ? [] : [action.chip.epochName],
            ...action.chip.specs,
            specSource: EPOCH_HARDWARE_CREDIT,
          };
          writes.push({ kind: 'create', line: action.line, dto: checked(CreateAcceleratorDto, fields, action.line, errors) });
        }
      }

      errors.sort((a, b) => a.line - b.line);
      const failedLines = new Set(errors.map((error) => error.line));
      const count = (kind: Write['kind']) => (errors.length > 0 ? 0 : writes.filter((write) => write.kind === kind).length);
      const report: ImportReport = {
        rows: rows.length,
        valid: rows.length - failedLines.size,
        created: count('create'),
        updated: count('update'),
        unchanged: errors.length > 0 ? 0 : unchanged,
        errors,
      };
      if (errors.length > 0) {
        throw new DomainError(
          HttpStatus.UNPROCESSABLE_ENTITY,
          `${errors.length} problem(s) in ${failedLines.size} row(s); nothing was written`,
          undefined,
          { ...report },
        );
      }
      if (!options.dryRun && writes.length > 0) await this.write(manager, writes, options.actorId);
      return report;
    });
  }

  private async write(manager: EntityManager, writes: Write[], actorId: string | null): Promise<void> {
    const trail: AuditRecord[] = [];
    const entry = (chip: Accelerator, before: object | null): AuditRecord => ({
      actorId,
      action: 'import',
      entityType: 'accelerator',
      entityId: chip.id,
      before,
      after: snapshot(chip),
    });
    const created = await manager.save(
      writes.flatMap((write) => (write.kind === 'create' ? [manager.create(Accelerator, { note: null, ...write.dto })] : [])),
    );
    trail.push(...created.map((chip) => entry(chip, null)));
    for (const write of writes) {
      if (write.kind !== 'update') continue;
      const before = snapshot(write.chip);
      trail.push(entry(await manager.save(Object.assign(write.chip, write.dto)), before));
    }
    await this.audit.recordMany(manager, trail);
    // Specs feed every H100e and power figure, so the capacity answers cached so far are stale.
    await bumpLedgerVersion(manager);
  }
}

/** The fields as the catalog's own DTO checks them; what fails is reported on the row, under the Epoch column it came from. */
function checked<Dto extends object>(type: new () => Dto, fields: object, line: number, errors: ImportError[]): Dto {
  const dto = plainToInstance(type, fields);
  for (const { field, messages } of fieldErrors(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true }))) {
    const column = COLUMN_OF_FIELD[field.split(/[.[]/)[0]] ?? field;
    errors.push({ line, field: column, message: messages.join('; ') });
  }
  return dto;
}
