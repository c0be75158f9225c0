import { describe, expect, it } from 'vitest';
import { countryCode } from './countries.js';

describe('country names as Epoch AI writes them', () => {
  it.each([
    ['United States of America', 'US'],
    ['Korea (Republic of)', 'KR'],
    ['Taiwan', 'TW'],
    ['UAE', 'AE'],
    ['United Arab Emirates', 'AE'],
    ['Viet Nam', 'VN'],
    ['Vietnam', 'VN'],
    ['United Kingdom of Great Britain and Northern Ireland', 'GB'],
    ['United Kingdom', 'GB'],
    ['Iran (Islamic Republic of)', 'IR'],
    ['Russian Federation', 'RU'],
    ['China', 'CN'],
    ['Switzerland', 'CH'],
    ['  Japan ', 'JP'],
    ['The Netherlands', 'NL'],
    ['Türkiye', 'TR'],
    ['SG', 'SG'],
  ])('%s → %s', (name, code) => {
    expect(countryCode(name)).toBe(code);
  });

  it('is null for a blank or unknown name', () => {
    expect(countryCode('')).toBeNull();
    expect(countryCode('Atlantis')).toBeNull();
    expect(countryCode('XX')).toBeNull();
  });
});
