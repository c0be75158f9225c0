import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COMPANY_PALETTE,
  companyColours,
  KIND_COLOURS,
  OTHERS_COLOUR,
  stableColours,
  VENDOR_PALETTE,
  vendorColours,
  vendorOrder,
} from './palette';

const CATALOG = Array.from({ length: 30 }, (_, index) => `company-${String(index).padStart(2, '0')}`);

describe('stable chart colours', () => {
  it('give each key its catalog position’s colour, whichever other keys are shown', () => {
    const alone = stableColours(['company-03'], CATALOG, COMPANY_PALETTE);
    const together = stableColours(['company-05', 'company-03', 'company-00'], CATALOG, COMPANY_PALETTE);
    expect(alone.get('company-03')).toBe(COMPANY_PALETTE[3]);
    expect(together.get('company-03')).toBe(COMPANY_PALETTE[3]);
    expect(together.get('company-05')).toBe(COMPANY_PALETTE[5]);
  });

  it('never give two shown keys one colour while the palette has colours left', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.constantFrom(...CATALOG), { maxLength: COMPANY_PALETTE.length }), (shown) => {
        const colours = stableColours(shown, CATALOG, COMPANY_PALETTE);
        expect(new Set(colours.values()).size).toBe(shown.length);
      }),
    );
  });

  it('keep a key’s home colour unless a key shown with it, earlier in the catalog, already wears it', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.constantFrom(...CATALOG), { minLength: 1, maxLength: 8 }), (shown) => {
        const colours = stableColours(shown, CATALOG, COMPANY_PALETTE);
        for (const key of shown) {
          const home = COMPANY_PALETTE[CATALOG.indexOf(key) % COMPANY_PALETTE.length];
          const worn = shown.some((other) => CATALOG.indexOf(other) < CATALOG.indexOf(key) && colours.get(other) === home);
          if (!worn) expect(colours.get(key)).toBe(home);
        }
      }),
    );
  });

  it('colour "Others" grey and keys the catalog does not know after it', () => {
    const companies = [
      { id: 'b', name: 'Beta', createdAt: '2025-01-01T00:00:00.000Z' },
      { id: 'a', name: 'Alpha', createdAt: '2025-01-01T00:00:00.000Z' },
      { id: 'c', name: 'Gamma', createdAt: '2024-01-01T00:00:00.000Z' },
    ];
    // Oldest first, ties by name: Gamma, Alpha, Beta.
    const colours = companyColours(['a', 'b', 'c', 'others', 'new'], companies);
    expect([colours.get('c'), colours.get('a'), colours.get('b'), colours.get('new')]).toEqual(COMPANY_PALETTE.slice(0, 4));
    expect(colours.get('others')).toBe(OTHERS_COLOUR);
  });

  it('keep vendors off the chip-kind colours, and greys for records with no chip model', () => {
    expect(VENDOR_PALETTE).not.toContain(KIND_COLOURS.gpu);
    expect(VENDOR_PALETTE).not.toContain(KIND_COLOURS.custom);
    expect(COMPANY_PALETTE).not.toContain(KIND_COLOURS.gpu);
    const chips = [
      { vendor: 'Google', createdAt: '2024-05-01T00:00:00.000Z' },
      { vendor: 'Nvidia', createdAt: '2024-01-01T00:00:00.000Z' },
      { vendor: 'Google', createdAt: '2023-01-01T00:00:00.000Z' },
    ];
    expect(vendorOrder(chips)).toEqual(['Google', 'Nvidia']);
    const colours = vendorColours(['Nvidia', 'gpu', 'Google', 'custom'], chips);
    expect([colours.get('Google'), colours.get('Nvidia')]).toEqual([VENDOR_PALETTE[0], VENDOR_PALETTE[1]]);
    expect(new Set([colours.get('gpu'), colours.get('custom'), OTHERS_COLOUR, ...VENDOR_PALETTE]).size).toBe(VENDOR_PALETTE.length + 3);
  });
});
