import { describe, expect, it } from 'vitest';
import { changedFields } from './audit-changes.js';

describe('changed fields of an audit entry', () => {
  it('lists the fields whose values differ, leaving out bookkeeping', () => {
    const before = { quantity: 18000, status: 'announced', version: 1, updatedAt: '2025-01-01', sources: [{ title: 'a' }] };
    const after = { quantity: 18500, status: 'announced', version: 2, updatedAt: '2025-02-01', sources: [{ title: 'b' }] };
    expect(changedFields(before, after)).toEqual(['quantity', 'sources']);
  });

  it('lists every field set on a created or deleted record', () => {
    expect(changedFields(null, { name: 'Meta', aliases: [], version: 1 })).toEqual(['name', 'aliases']);
    expect(changedFields({ supersededById: 'x' }, null)).toEqual(['supersededById']);
  });
});
