import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { stringify } from 'csv-stringify';
import type { Response } from 'express';
import { once } from 'node:events';
import type { DataSource } from 'typeorm';
import { changedFields } from '../domain/audit-changes.js';
import { neutraliseCell } from '../domain/csv-cells.js';
import type { AuditEntryView } from '../contracts/audit.js';
import { AuditEntry, toAuditEntryView } from './audit-entry.entity.js';
import { applyAuditFilters } from './audit-filters.js';
import { auditLabels } from './audit-labels.js';
import type { ExportAuditQuery } from './dto/export-audit.query.js';

export const AUDIT_EXPORT_COLUMNS = [
  'id',
  'at',
  'actor',
  'action',
  'record_type',
  'record_id',
  'record',
  'changed',
  'before',
  'after',
] as const;
type AuditExportRow = Record<(typeof AUDIT_EXPORT_COLUMNS)[number], string | number>;

/** Entries read per query while streaming; each batch is written out before the next is read. */
const BATCH_SIZE = 1_000;

function exportRow(entry: AuditEntryView, labels: Record<string, string>): AuditExportRow {
  return {
    id: entry.id,
    at: new Date(entry.at).toISOString(),
    actor: entry.actor?.email ?? 'system',
    action: entry.action,
    record_type: entry.entityType,
    record_id: entry.entityId,
    record: labels[entry.entityId] ?? '',
    changed: changedFields(entry.before, entry.after).join(' '),
    before: entry.before === null ? '' : JSON.stringify(entry.before),
    after: entry.after === null ? '' : JSON.stringify(entry.after),
  };
}

/** The trail as CSV, newest first, streamed a batch at a time as the client reads it. */
@Injectable()
export class AuditExportService {
  private readonly logger = new Logger(AuditExportService.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async export(query: ExportAuditQuery, response: Response): Promise<void> {
    // The first batch is read before anything is sent, so a failure still gets a proper error response.
    let batch = await this.batch(query, null);
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', 'attachment; filename="audit.csv"');
    const output = stringify({ header: true, columns: [...AUDIT_EXPORT_COLUMNS], cast: { string: neutraliseCell } });
    output.pipe(response);
    try {
      while (batch.length > 0 && !response.destroyed) {
        const labels = await auditLabels(this.dataSource.manager, batch);
        for (const entry of batch) {
          if (!output.write(exportRow(entry, labels))) await Promise.race([once(output, 'drain'), once(response, 'close')]);
        }
        batch = batch.length < BATCH_SIZE ? [] : await this.batch(query, batch[batch.length - 1].id);
      }
    } catch (error) {
      // The status line has gone out: all that is left is to cut the download short, so it cannot pass for complete.
      this.logger.error(`audit export failed after it started: ${error instanceof Error ? error.message : String(error)}`);
      response.destroy(error instanceof Error ? error : undefined);
      return;
    }
    output.end();
  }

  /** The next entries, newest first, older than the entry `before`. */
  private async batch(query: ExportAuditQuery, before: number | null): Promise<AuditEntryView[]> {
    const builder = applyAuditFilters(
      this.dataSource.createQueryBuilder(AuditEntry, 'entry').leftJoinAndSelect('entry.actor', 'actor'),
      query,
    );
    if (before !== null) builder.andWhere('entry.id < :before', { before });
    const entries = await builder.orderBy('entry.id', 'DESC').limit(BATCH_SIZE).getMany();
    return entries.map(toAuditEntryView);
  }
}
