import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { parse } from 'csv-parse/sync';
import { type DataSource, type EntityManager, IsNull } from 'typeorm';
import { AcceleratorsService } from '../accelerators/accelerators.service.js';
import { DomainError } from '../common/errors.js';
import { fieldErrors } from '../common/validation.js';
import { Commitment } from '../commitments/commitment.entity.js';
import { CommitmentsService } from '../commitments/commitments.service.js';
import { CreateCommitmentDto } from '../commitments/dto/commitment.dto.js';
import { CompaniesService } from '../companies/companies.service.js';
import { CreateCompanyDto } from '../companies/dto/company.dto.js';
import { ANNOUNCEMENT_COLUMNS, type AnnouncementRow, COLUMN_OF_FIELD, REQUIRED_COLUMNS } from './announcement-columns.js';

export interface ImportError {
  line: number;
  field: string;
  message: string;
  value?: string;
}

export interface ImportReport {
  rows: number;
  valid: number;
  created: number;
  unchanged: number;
  errors: ImportError[];
}

interface ParsedRow {
  line: number;
  row: AnnouncementRow;
}

const COMPANY_COLUMNS: Record<string, string> = { name: 'company', kind: 'company_kind', country: 'country' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

class RollBack extends Error {}

/** Imports announcements from CSV: every row is checked, and a file with any error writes nothing. */
@Injectable()
export class ImportsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly commitments: CommitmentsService,
    private readonly companies: CompaniesService,
    private readonly accelerators: AcceleratorsService,
  ) {}

  async importCsv(csv: string, options: { dryRun: boolean; actorId?: string | null }): Promise<ImportReport> {
    const parsed = this.parse(csv);
    const report: ImportReport = { rows: parsed.length, valid: 0, created: 0, unchanged: 0, errors: [] };
    try {
      await this.dataSource.transaction(async (manager) => {
        await this.writeRows(manager, parsed, report, options.actorId ?? null);
        if (report.errors.length > 0 || options.dryRun) throw new RollBack();
      });
    } catch (error) {
      if (!(error instanceof RollBack)) throw error;
    }
    if (report.errors.length > 0) {
      throw new DomainError(
        HttpStatus.UNPROCESSABLE_ENTITY,
        `${report.errors.length} problem(s) in the file; nothing was written`,
        report as never,
      );
    }
    return report;
  }

  private parse(csv: string): ParsedRow[] {
    let records: { record: string[]; info: { lines: number } }[];
    try {
      records = parse(csv, { bom: true, info: true, skip_empty_lines: true, relax_column_count: false }) as unknown as typeof records;
    } catch (error) {
      throw new DomainError(HttpStatus.BAD_REQUEST, `The file is not valid CSV: ${(error as Error).message}`);
    }
    if (records.length === 0) throw new DomainError(HttpStatus.BAD_REQUEST, 'The file is empty: a header row is required');
    const header = records[0].record.map((name) => name.trim());
    const unknown = header.filter((name) => !(ANNOUNCEMENT_COLUMNS as readonly string[]).includes(name));
    const missing = REQUIRED_COLUMNS.filter((name) => !header.includes(name));
    if (unknown.length > 0 || missing.length > 0) {
      throw new DomainError(HttpStatus.BAD_REQUEST, 'The header does not match the announcements format', [
        ...missing.map((name) => ({ field: name, messages: ['required column is missing'] })),
        ...unknown.map((name) => ({ field: name, messages: ['unknown column'] })),
      ]);
    }
    return records.slice(1).map(({ record, info }) => {
      const row = Object.fromEntries(ANNOUNCEMENT_COLUMNS.map((column) => [column, ''])) as AnnouncementRow;
      header.forEach((name, index) => (row[name as keyof AnnouncementRow] = (record[index] ?? '').trim()));
      return { line: info.lines, row };
    });
  }

  private async writeRows(manager: EntityManager, parsed: ParsedRow[], report: ImportReport, actorId: string | null) {
    const byKey = new Map<string, ParsedRow>();
    for (const entry of parsed) {
      if (!entry.row.key) continue;
      if (byKey.has(entry.row.key)) {
        report.errors.push({
          line: entry.line,
          field: 'key',
          message: `key repeats line ${byKey.get(entry.row.key)?.line}`,
          value: entry.row.key,
        });
      } else byKey.set(entry.row.key, entry);
    }
    const idOfKey = new Map<string, string>();
    for (const entry of orderBySupersession(parsed, byKey)) {
      const errors = await this.writeRow(manager, entry, byKey, idOfKey, report, actorId);
      report.errors.push(...errors);
    }
    report.errors.sort((a, b) => a.line - b.line);
  }

  private async writeRow(
    manager: EntityManager,
    { line, row }: ParsedRow,
    byKey: Map<string, ParsedRow>,
    idOfKey: Map<string, string>,
    report: ImportReport,
    actorId: string | null,
  ): Promise<ImportError[]> {
    const errors: ImportError[] = [];
    const fail = (field: string, message: string) => errors.push({ line, field, message, value: row[field as keyof AnnouncementRow] });

    const companyId = await this.resolveCompany(manager, row, actorId, fail);
    let acceleratorId: string | null = null;
    if (row.accelerator) {
      const chip = await this.accelerators.findByNameOrAlias(row.accelerator, manager);
      if (chip) acceleratorId = chip.id;
      else fail('accelerator', `unknown chip "${row.accelerator}": add it to the catalog or use its name or an alias`);
    }
    let supersedesId: string | null = null;
    if (row.supersedes) {
      if (byKey.has(row.supersedes)) {
        supersedesId = idOfKey.get(row.supersedes) ?? null;
        if (!supersedesId) fail('supersedes', `the row with key ${row.supersedes} has errors`);
      } else {
        const target = await manager.findOneBy(
          Commitment,
          UUID.test(row.supersedes) ? { id: row.supersedes } : { key: row.supersedes, deletedAt: IsNull() },
        );
        if (target) supersedesId = target.id;
        else fail('supersedes', `no row or record with key ${row.supersedes}`);
      }
    }

    const dto = plainToInstance(CreateCommitmentDto, {
      key: row.key || undefined,
      companyId: companyId ?? '00000000-0000-0000-0000-000000000000',
      acceleratorId,
      acceleratorKind: row.accelerator_kind || undefined,
      quantity: number(row.quantity),
      quantityQualifier: row.quantity_qualifier || undefined,
      statedH100e: number(row.stated_h100e),
      statedPowerMw: number(row.stated_power_mw),
      announcedOn: row.announced_on,
      deliveryFrom: row.delivery_from || undefined,
      deliveryBy: row.delivery_by || undefined,
      status: row.status,
      certainty: row.certainty || undefined,
      supersedesId,
      sources: [
        {
          url: row.source_url || undefined,
          title: row.source_title || undefined,
          publisher: row.source_publisher || undefined,
          publishedOn: row.source_published_on || undefined,
          language: row.source_language || undefined,
        },
      ],
      notes: row.notes || undefined,
    });
    for (const error of fieldErrors(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true }))) {
      fail(COLUMN_OF_FIELD[error.field] ?? error.field, error.messages.join('; '));
    }
    if (errors.length > 0 || !companyId) return errors;

    if (row.key) {
      const existing = await manager.findOneBy(Commitment, { key: row.key, deletedAt: IsNull() });
      if (existing) {
        idOfKey.set(row.key, existing.id);
        report.valid++;
        report.unchanged++;
        return errors;
      }
    }
    await manager.query('SAVEPOINT import_row');
    try {
      const id = await this.commitments.createWith(manager, dto, actorId, 'import');
      await manager.query('RELEASE SAVEPOINT import_row');
      if (row.key) idOfKey.set(row.key, id);
      report.valid++;
      report.created++;
    } catch (error) {
      await manager.query('ROLLBACK TO SAVEPOINT import_row');
      if (!(error instanceof DomainError)) throw error;
      const details = Array.isArray(error.details) ? error.details : [];
      if (details.length === 0) fail('key', error.message);
      for (const detail of details) fail(COLUMN_OF_FIELD[detail.field] ?? detail.field, detail.messages.join('; '));
    }
    return errors;
  }

  private async resolveCompany(
    manager: EntityManager,
    row: AnnouncementRow,
    actorId: string | null,
    fail: (field: string, message: string) => void,
  ) {
    if (!row.company) {
      fail('company', 'company is required');
      return null;
    }
    const known = await this.companies.findByNameOrAlias(row.company, manager);
    if (known) return known.id;
    const dto = plainToInstance(CreateCompanyDto, {
      name: row.company,
      kind: row.company_kind || undefined,
      country: row.country || undefined,
    });
    const errors = fieldErrors(validateSync(dto));
    for (const error of errors) fail(COMPANY_COLUMNS[error.field] ?? error.field, error.messages.join('; '));
    if (errors.length > 0) return null;
    return (await this.companies.create(dto, actorId, manager, 'import')).id;
  }
}

/** Numbers as written in the file; anything else passes through for the validators to name. */
function number(text: string): number | string | undefined {
  if (text === '') return undefined;
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

/** Rows in an order where every row comes after the row of the file it supersedes. */
function orderBySupersession(parsed: ParsedRow[], byKey: Map<string, ParsedRow>): ParsedRow[] {
  const ordered: ParsedRow[] = [];
  const placed = new Set<ParsedRow>();
  const visiting = new Set<ParsedRow>();
  const place = (entry: ParsedRow) => {
    if (placed.has(entry) || visiting.has(entry)) return;
    visiting.add(entry);
    const target = entry.row.supersedes ? byKey.get(entry.row.supersedes) : undefined;
    if (target) place(target);
    visiting.delete(entry);
    placed.add(entry);
    ordered.push(entry);
  };
  parsed.forEach(place);
  return ordered;
}
