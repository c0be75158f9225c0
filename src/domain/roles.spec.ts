import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lowerRole, ROLES, roleAtLeast } from './roles.js';

describe('lowerRole', () => {
  it('is the less trusted of the two, whichever comes first', () => {
    expect(lowerRole('admin', 'viewer')).toBe('viewer');
    expect(lowerRole('analyst', 'admin')).toBe('analyst');
    fc.assert(
      fc.property(fc.constantFrom(...ROLES), fc.constantFrom(...ROLES), (a, b) => {
        const lower = lowerRole(a, b);
        return lower === lowerRole(b, a) && (lower === a || lower === b) && roleAtLeast(a, lower) && roleAtLeast(b, lower);
      }),
    );
  });
});
