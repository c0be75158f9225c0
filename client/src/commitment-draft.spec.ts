import { describe, expect, it } from 'vitest';
import { draftToInput, emptyDraft, primaryAmountOf, validateDraft } from './commitment-draft';

const draft = (fields: Partial<ReturnType<typeof emptyDraft>>) => ({
  ...emptyDraft(),
  companyId: 'c',
  announcedOn: '2024-03-01',
  sources: [{ url: '', title: 'A report', publisher: '', publishedOn: '', language: '', quote: '' }],
  ...fields,
});

describe('the range of the amount in the form', () => {
  it('bounds the quantity, else the stated H100e, else the stated power, in that unit', () => {
    expect(primaryAmountOf(draft({ quantity: '350000', statedH100e: '600000' }))).toEqual({
      value: 350_000,
      name: 'quantity',
      unit: 'chips',
    });
    expect(primaryAmountOf(draft({ statedH100e: '600000' }))?.unit).toBe('H100e');
    expect(primaryAmountOf(draft({ statedPowerMw: '1000' }))?.unit).toBe('MW');
    expect(primaryAmountOf(draft({}))).toBeNull();
  });

  it('names the bound that does not hold the amount, as the server would, and sends the bounds', () => {
    expect(validateDraft(draft({ quantity: '350000', amountLow: '300000', amountHigh: '400000' }))).toEqual({});
    expect(Object.keys(validateDraft(draft({ quantity: '350000', amountLow: '360000' })))).toEqual(['amountLow']);
    expect(Object.keys(validateDraft(draft({ quantity: '350000', amountHigh: '340000' })))).toEqual(['amountHigh']);
    expect(Object.keys(validateDraft(draft({ amountHigh: '10' })))).toEqual(['amountHigh']);
    expect(Object.keys(validateDraft(draft({ quantity: '5', amountLow: '-1' })))).toEqual(['amountLow']);
    const input = draftToInput(draft({ quantity: '350000', amountLow: '300000' }));
    expect([input.amountLow, input.amountHigh]).toEqual([300_000, null]);
  });
});
