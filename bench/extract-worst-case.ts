/**
 * Times extraction on hostile 100,000-character texts (the longest the API accepts): long runs of capitalised
 * words, numbers, chip names and periods that would cost quadratic time in a careless reader.
 * Run: node bench/run-ts.mjs bench/extract-worst-case.ts
 */
import { extractCommitments } from '../src/domain/extraction/extract.js';
import { labelledCatalog } from '../test/fixtures/extraction-labelled.js';

const catalog = labelledCatalog();
const cases: Record<string, string> = {
  'capitalised words': 'Aa '.repeat(33_334),
  'company and chip names': 'Meta H100 '.repeat(10_000),
  'one long word': 'a'.repeat(100_000),
  'one long number': '1'.repeat(100_000),
  'numbers and spaces': '1 '.repeat(50_000),
  'grouped thousands': '100 000 '.repeat(12_500),
  'numbers and commas': '1,000,'.repeat(16_667),
  'Japanese numbers': '1万'.repeat(50_000),
  'Korean numbers': '6만5천'.repeat(25_000),
  qualifiers: 'about up to more than '.repeat(4_546),
  'counts of GPUs': '10,000 GPUs '.repeat(8_334),
  periods: 'by the end of the second half of next year '.repeat(2_326),
  'full stops': '. '.repeat(50_000),
  'vendor names': 'Nvidia '.repeat(14_286),
  'one commitment repeated': 'Meta bought 10,000 GPUs. '.repeat(4_000),
  'distinct commitments': Array.from({ length: 7_000 }, (_, index) => `Meta bought ${index + 1}0 H100s`).join(', '),
  'ranges chained': '300,000–400,000 to '.repeat(5_264),
  'digits and hyphens': '1-'.repeat(50_000),
  'Korean names and particles': '네이버클라우드는 카카오가 '.repeat(7_143),
  'kana and kanji runs': 'ソフトバンクグループ楽天'.repeat(9_091),
  'months and fiscal years': 'by the end of March FY2025 H1 fiscal year ends in June '.repeat(1_819),
  'chip names chained': 'Vera Rubin NVL144 Maia 200 GB200 NVL72 '.repeat(2_500),
  'tildes and 万': '30万〜'.repeat(25_000),
};
for (const [name, repeated] of Object.entries(cases)) {
  const text = repeated.slice(0, 100_000);
  const started = performance.now();
  // Read as English: detected, texts of digits or kanji alone would be answered at once without the rules.
  const result = extractCommitments({ text, publishedOn: '2024-02-28', language: 'en' }, catalog);
  const elapsed = (performance.now() - started).toFixed(0);
  console.log(`${name.padEnd(26)} ${elapsed.padStart(6)} ms  ${result.candidates.length} candidates`);
}
