import type { EntityManager } from 'typeorm';
import type { Page } from './page.js';

/** What an entry records; `supersede` is written on the older record when a newer one names it (or stops naming it). */
export const AUDIT_ACTIONS = ['create', 'update', 'delete', 'supersede', 'import', 'password_reset', 'password_change'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDITED_ENTITIES = ['commitment', 'company', 'accelerator', 'user'] as const;
export type AuditedEntity = (typeof AUDITED_ENTITIES)[number];

/** One audit entry as the API answers it. */
export interface AuditEntryView {
  id: number;
  at: Date;
  actor: { id: string; email: string } | null;
  action: AuditAction;
  entityType: AuditedEntity;
  entityId: string;
  before: object | null;
  after: object | null;
}

/** A page of the trail, with the names of the records its entries mention. */
export interface AuditEntriesPage extends Page<AuditEntryView> {
  /** Record id → what people call it: a commitment's "Meta · H100 SXM · 350,000", a company's or chip's name, a user's email. */
  labels: Record<string, string>;
}

/** A change to record; `before` and `after` are stored as plain JSON copies. */
export interface AuditRecord {
  actorId: string | null;
  action: AuditAction;
  entityType: AuditedEntity;
  entityId: string;
  before: object | null;
  after: object | null;
}

/**
 * The audit trail as the features that write see it (the token Nest injects; `AuditService` provides it). Entries
 * are written inside the caller's transaction, so the change and its entry commit together or not at all.
 */
export abstract class AuditTrail {
  /** Call with the manager of the transaction that makes the change. */
  abstract record(manager: EntityManager, record: AuditRecord): Promise<void>;
  /** Many entries in one statement, for bulk writes such as an import. */
  abstract recordMany(manager: EntityManager, records: AuditRecord[]): Promise<void>;
  /**
   * Entries that the database builds: `select` yields actor_id, action, entity_type, entity_id, before and after;
   * `writes`, when given, are WITH items making the change itself, so that the change and its trail are one statement.
   */
  abstract recordSelected(manager: EntityManager, select: string, parameters: unknown[], writes?: string): Promise<void>;
  /** Every entry about one record, oldest first. */
  abstract history(entityType: AuditedEntity, entityId: string): Promise<AuditEntryView[]>;
}

/** A plain JSON copy: dates become ISO strings, undefined fields disappear. */
export function snapshot(value: object | null): object | null {
  return value === null ? null : (JSON.parse(JSON.stringify(value)) as object);
}
