/** What an entry records; `supersede` is written on the older record when a newer one names it (or stops naming it). */
export const AUDIT_ACTIONS = ['create', 'update', 'delete', 'supersede', 'import', 'password_reset', 'password_change'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDITED_ENTITIES = ['commitment', 'company', 'accelerator', 'user'] as const;
export type AuditedEntity = (typeof AUDITED_ENTITIES)[number];
