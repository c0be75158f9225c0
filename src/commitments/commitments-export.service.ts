import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { stringify } from 'csv-stringify';
import type { Response } from 'express';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { DataSource, EntityManager } from 'typeorm';
import { pastMoment, readAsOf } from '../database/as-of.js';
import {
  ANNOUNCEMENT_COLUMNS,
  type AnnouncementColumn,
  MAX_SOURCES,
  PLAIN_FIELDS,
  SOURCE_FIELDS,
  type SourceValues,
  sourceColumn,
  sourcesJson,
} from '../domain/commitment-fields.js';
import { neutraliseCell } from '../domain/csv-cells.js';
import { applyCommitmentFilters, applyCommitmentSearch } from './commitment-filters.js';
import { Commitment } from './commitment.entity.js';
import type { ExportCommitmentsQuery } from './dto/list-commitments.query.js';

export type AnnouncementRecord = Record<AnnouncementColumn, string | number | null>;

/** How a record is named in the file: its key, or its id where it has none. */
const NAME = 'COALESCE("commitment"."external_key", "commitment"."id"::text)';

interface PagePosition {
  announcedOn: string;
  name: string;
  id: string;
}

/** Records read per query while streaming; each page is written out before the next is read. */
const PAGE_SIZE = 1_000;

/**
 * Writes commitments in the import's columns, page by page as the client reads them, so an export of the whole
 * ledger imports back unchanged. `key` is the record's external key, or its id when it has none; `supersedes`
 * names the superseded record the same way, and `part_of` the whole.
 */
@Injectable()
export class CommitmentsExportService {
  private readonly logger = new Logger(CommitmentsExportService.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async export(query: ExportCommitmentsQuery, response: Response): Promise<void> {
    const moment = pastMoment(query.asOf);
    // A past moment's ledger lives in one transaction's tables (`readAsOf`), held while the file is written.
    if (moment) return readAsOf(this.dataSource, moment, (manager) => this.write(query, response, manager));
    return this.write(query, response, this.dataSource.manager);
  }

  private async write(query: ExportCommitmentsQuery, response: Response, manager: EntityManager): Promise<void> {
    // The first page is read before anything is sent, so a failure still gets a proper error response.
    let page = await this.page(query, null, manager);
    response.setHeader('Content-Type', query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="commitments.${query.format}"`);
    const output: Writable =
      query.format === 'csv' ? stringify({ header: true, columns: [...ANNOUNCEMENT_COLUMNS], cast: { string: neutraliseCell } }) : response;
    if (query.format === 'csv') (output as ReturnType<typeof stringify>).pipe(response);
    else response.write('[');

    let first = true;
    try {
      while (page.length > 0 && !response.destroyed) {
        for (const { record } of page) {
          const written = query.format === 'csv' ? output.write(record) : output.write(`${first ? '\n' : ',\n'}${JSON.stringify(record)}`);
          first = false;
          // Wait for the client to read on; a client that hangs up ends the export.
          if (!written) await Promise.race([once(output, 'drain'), once(response, 'close')]);
        }
        const last = page[page.length - 1];
        page = page.length < PAGE_SIZE ? [] : await this.page(query, last.position, manager);
      }
    } catch (error) {
      // The status line has gone out: all that is left is to cut the download short, so it cannot pass for complete.
      this.logger.error(`export failed after it started: ${error instanceof Error ? error.message : String(error)}`);
      response.destroy(error instanceof Error ? error : undefined);
      return;
    }
    if (query.format === 'csv') output.end();
    else response.end(first ? ']\n' : '\n]\n');
  }

  /**
   * One page, after the last record of the previous page, in an order that does not depend on the database the
   * records live in: announcement date, then key (or id where there is none).
   */
  private async page(
    query: ExportCommitmentsQuery,
    after: PagePosition | null,
    manager: EntityManager,
  ): Promise<{ position: PagePosition; record: AnnouncementRecord }[]> {
    const builder = manager
      .createQueryBuilder(Commitment, 'commitment')
      .innerJoin('commitment.company', 'company')
      .leftJoin('commitment.accelerator', 'accelerator')
      .leftJoin('commitment.hostCompany', 'host')
      .leftJoin(Commitment, 'target', 'target.id = commitment.supersedesId AND target.deletedAt IS NULL')
      .leftJoin(Commitment, 'whole', 'whole.id = commitment.partOfId AND whole.deletedAt IS NULL')
      .select('commitment.id', 'id')
      .addSelect(NAME, 'name')
      .addSelect('company.name', 'company')
      .addSelect('company.kind', 'company_kind')
      .addSelect('company.country', 'country')
      .addSelect('accelerator.name', 'accelerator')
      .addSelect('host.name', 'host_company')
      .addSelect('COALESCE(target.key, target.id::text)', 'supersedes')
      .addSelect('COALESCE(whole.key, whole.id::text)', 'part_of')
      .addSelect(sourcesJson('"commitment"."id"'), 'sources');
    for (const { field, column } of PLAIN_FIELDS) builder.addSelect(`commitment.${field}`, column);
    applyCommitmentFilters(builder, query);
    applyCommitmentSearch(builder, query);
    if (after) {
      builder.andWhere(`(commitment.announcedOn, ${NAME}, commitment.id) > (:afterDate, :afterName, :afterId)`, {
        afterDate: after.announcedOn,
        afterName: after.name,
        afterId: after.id,
      });
    }
    const rows: (Record<string, string | number | null> & { id: string; announced_on: string; sources: SourceValues[] | null })[] =
      await builder
        .orderBy('commitment.announcedOn', 'ASC')
        .addOrderBy(NAME, 'ASC')
        .addOrderBy('commitment.id', 'ASC')
        .limit(PAGE_SIZE)
        .getRawMany();
    return rows.map((row) => {
      const { sources, ...columns } = row;
      const cells: Record<string, string | number | null> = { ...columns, ...sourceCells(sources), key: row.name };
      return {
        position: { announcedOn: row.announced_on, name: String(row.name), id: row.id },
        record: Object.fromEntries(ANNOUNCEMENT_COLUMNS.map((column) => [column, cells[column] ?? null])) as AnnouncementRecord,
      };
    });
  }
}

/** Every source of a record in its CSV columns (`source_url` … `source_5_quote`). */
function sourceCells(sources: SourceValues[] | null): Record<string, string | null> {
  const cells: Record<string, string | null> = {};
  for (const [position, source] of (sources ?? []).slice(0, MAX_SOURCES).entries()) {
    for (const { field } of SOURCE_FIELDS) cells[sourceColumn(position, field)] = source[field];
  }
  return cells;
}
