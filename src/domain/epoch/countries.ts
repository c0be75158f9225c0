import countries from 'i18n-iso-countries/index.js';
import english from 'i18n-iso-countries/langs/en.json' with { type: 'json' };

countries.registerLocale(english);

/** Epoch's spellings that the English names of i18n-iso-countries do not hold. */
const EPOCH_SPELLINGS: Record<string, string> = {
  'viet nam': 'VN',
  'united kingdom of great britain and northern ireland': 'GB',
  'korea (democratic people’s republic of)': 'KP',
  "korea (democratic people's republic of)": 'KP',
  'congo (democratic republic of the)': 'CD',
};

/**
 * The ISO 3166 alpha-2 code of a country as Epoch AI writes it, or null: the name as it is ("Taiwan", "UAE",
 * "United States of America"), its bracketed form turned round ("Korea (Republic of)" → "Korea, Republic of", then
 * "Korea"), or one of Epoch's spellings above.
 */
export function countryCode(name: string): string | null {
  const text = name.trim().replace(/\s+/g, ' ');
  if (text === '') return null;
  const bracketed = /^(.+?) \((.+)\)$/.exec(text);
  const tries = [text, ...(bracketed ? [`${bracketed[1]}, ${bracketed[2]}`, bracketed[1]] : []), text.replace(/^the /i, '')];
  for (const attempt of tries) {
    const code = countries.getSimpleAlpha2Code(attempt, 'en');
    if (code) return code;
  }
  return EPOCH_SPELLINGS[text.toLowerCase()] ?? (/^[A-Z]{2}$/.test(text) && countries.isValid(text) ? text : null);
}
