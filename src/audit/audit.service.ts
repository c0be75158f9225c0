import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { type AuditedEntity, type AuditEntryView, type AuditRecord, AuditTrail, snapshot } from '../contracts/audit.js';
import { AuditEntry, toAuditEntryView } from './audit-entry.entity.js';
import { applyAuditFilters } from './audit-filters.js';
import { type AuditEntriesPage, auditLabels } from './audit-labels.js';
import type { ListAuditQuery } from './dto/list-audit.query.js';

/** Writes the trail inside the caller's transaction, and reads it back. Nothing here changes or removes an entry. */
@Injectable()
export class AuditService implements AuditTrail {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Call with the manager of the transaction that makes the change, so both commit or neither does. */
  async record(manager: EntityManager, record: AuditRecord): Promise<void> {
    await manager.insert(AuditEntry, {
      actorId: record.actorId,
      action: record.action,
      entityType: record.entityType,
      entityId: record.entityId,
      before: snapshot(record.before),
      after: snapshot(record.after),
    });
  }

  /** Many entries in one statement, for bulk writes such as an import; same transaction rule as `record`. */
  async recordMany(manager: EntityManager, records: AuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    await manager.query(
      `INSERT INTO audit_entries (actor_id, action, entity_type, entity_id, before, after)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::jsonb[], $6::jsonb[])`,
      [
        records.map((record) => record.actorId),
        records.map((record) => record.action),
        records.map((record) => record.entityType),
        records.map((record) => record.entityId),
        records.map((record) => (record.before === null ? null : JSON.stringify(record.before))),
        records.map((record) => (record.after === null ? null : JSON.stringify(record.after))),
      ],
    );
  }

  /**
   * Entries that the database builds, for a bulk write whose trail would otherwise travel to the database as a JSON
   * document per row: `select` yields the columns actor_id, action, entity_type, entity_id, before and after, in the
   * order the entries are to be numbered. `writes`, when given, are the WITH items (data-modifying ones included) that
   * make the change itself, so that the change and its trail are one statement; same transaction rule as `record`.
   */
  async recordSelected(manager: EntityManager, select: string, parameters: unknown[], writes?: string): Promise<void> {
    await manager.query(
      `${writes ? `WITH ${writes}` : ''} INSERT INTO audit_entries (actor_id, action, entity_type, entity_id, before, after) ${select}`,
      parameters,
    );
  }

  /** Every entry about one record, oldest first. */
  async history(entityType: AuditedEntity, entityId: string): Promise<AuditEntryView[]> {
    const entries = await this.dataSource.manager.find(AuditEntry, {
      where: { entityType, entityId },
      relations: { actor: true },
      order: { id: 'ASC' },
    });
    return entries.map(toAuditEntryView);
  }

  /** The whole trail, newest first, filtered, with the names of the records it mentions. */
  async list(query: ListAuditQuery): Promise<AuditEntriesPage> {
    const builder = applyAuditFilters(
      this.dataSource.createQueryBuilder(AuditEntry, 'entry').leftJoinAndSelect('entry.actor', 'actor'),
      query,
    )
      .orderBy('entry.id', 'DESC')
      .offset((query.page - 1) * query.limit)
      .limit(query.limit);
    const [entries, total] = await builder.getManyAndCount();
    const items = entries.map(toAuditEntryView);
    return { items, total, page: query.page, limit: query.limit, labels: await auditLabels(this.dataSource.manager, items) };
  }
}
