import type { SelectQueryBuilder } from 'typeorm';
import type { AuditEntry } from './audit-entry.entity.js';
import type { ListAuditQuery } from './dto/list-audit.query.js';

export type AuditFilters = Pick<ListAuditQuery, 'entityType' | 'entityId' | 'actorId' | 'action' | 'from' | 'to'>;

/** The trail's filters on a query over entries aliased `entry`, shared by the list and the export. */
export function applyAuditFilters(builder: SelectQueryBuilder<AuditEntry>, query: AuditFilters): SelectQueryBuilder<AuditEntry> {
  if (query.entityType) builder.andWhere('entry.entityType = :entityType', { entityType: query.entityType });
  if (query.entityId) builder.andWhere('entry.entityId = :entityId', { entityId: query.entityId });
  if (query.actorId) builder.andWhere('entry.actorId = :actorId', { actorId: query.actorId });
  if (query.action) builder.andWhere('entry.action = :action', { action: query.action });
  if (query.from) builder.andWhere('entry.at >= :from', { from: asInstant(query.from) });
  if (query.to) builder.andWhere('entry.at < :to', { to: asInstant(query.to) });
  return builder;
}

/** A date alone means midnight UTC of that day. */
function asInstant(text: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text;
}
