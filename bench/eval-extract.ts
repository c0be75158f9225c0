/**
 * Runs the rule-based extraction over the labelled set (test/fixtures/extraction-labelled.json) and prints
 * precision and recall per field; then, where the seed article is at hand (../shared/data or /work/shared/data),
 * checks that it gives exactly Meta's two commitments.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { agreeingFields, EVALUATED_FIELDS, scoreExtraction, toLabelled } from '../src/domain/extraction/evaluation.js';
import { extractCommitments } from '../src/domain/extraction/extract.js';
import { labelledCatalog, labelledSet } from '../test/fixtures/extraction-labelled.js';

const projectRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const catalog = labelledCatalog();
const verbose = process.argv.includes('--verbose');

// The language is detected, not taken from the label: a readable text taken for another language loses its candidates.
const runs = labelledSet.examples.map((example) => {
  const result = extractCommitments({ text: example.text, publishedOn: example.publishedOn }, catalog);
  return { example, result, expected: example.expected, predicted: result.candidates.map(toLabelled) };
});
const percent = (value: number) => `${(value * 100).toFixed(1)}%`.padStart(7);
const fields = [...EVALUATED_FIELDS, 'candidate'] as const;
for (const split of ['development', 'held-out', 'all']) {
  const chosen = runs.filter((run) => split === 'all' || run.example.split === split);
  const scores = scoreExtraction(chosen);
  console.log(
    `\n${split}: ${chosen.length} texts, ${scores.candidate.expected} expected candidates, ${scores.candidate.predicted} predicted`,
  );
  console.log('field           precision  recall   correct');
  for (const field of fields) {
    const score = scores[field];
    console.log(`${field.padEnd(15)} ${percent(score.precision)}  ${percent(score.recall)}   ${score.correct}`);
  }
}
// Per language over all texts: precision / recall of each field.
const languages = [...new Set(runs.map((run) => run.example.language))].sort();
const byLanguage = languages.map((language) => {
  const chosen = runs.filter((run) => run.example.language === language);
  return { language, texts: chosen.length, scores: scoreExtraction(chosen) };
});
console.log('\nby language (all texts), precision / recall');
console.log(['field'.padEnd(15), ...byLanguage.map(({ language, texts }) => `${language} (${texts})`.padStart(15))].join(' '));
for (const field of fields) {
  const cells = byLanguage.map(({ scores }) => `${percent(scores[field].precision)}/${percent(scores[field].recall).trim()}`.padStart(15));
  console.log([field.padEnd(15), ...cells].join(' '));
}
const unsupported = runs.filter((run) => run.example.unsupported);
const wronglyRefused = runs.filter((run) => !run.example.unsupported && run.result.unsupported);
console.log(
  `\nlanguages it cannot read: ${unsupported.filter((run) => run.result.unsupported).length} of ${unsupported.length} texts answered ` +
    `with a notice; readable texts refused: ${wronglyRefused.length}${wronglyRefused.map((run) => ` ${run.example.id} (${run.result.language})`).join(',')}`,
);
if (verbose) {
  for (const run of runs) {
    const same =
      run.expected.length === run.predicted.length &&
      run.expected.every((want, index) => agreeingFields(want, run.predicted[index]).length === EVALUATED_FIELDS.length);
    if (same) continue;
    console.log(
      `\n${run.example.id}: ${run.example.text}\n  expected  ${JSON.stringify(run.expected)}\n  predicted ${JSON.stringify(run.predicted)}`,
    );
  }
}

const seedPaths = [resolve(projectRoot, '../shared/data/seed-article-id.txt')];
const seedPath = seedPaths.find((path) => existsSync(path));
if (!seedPath) {
  console.log('\nseed article: not found, skipped');
} else {
  const result = extractCommitments({ text: readFileSync(seedPath, 'utf8'), publishedOn: '2024-02-28' }, catalog);
  const summary = result.candidates.map(toLabelled);
  const expected = [
    {
      company: 'Meta',
      accelerator: null,
      acceleratorKind: 'custom',
      quantity: null,
      quantityQualifier: null,
      deliveryFrom: null,
      deliveryBy: '2024-Q4',
    },
    {
      company: 'Meta',
      accelerator: 'H100 SXM',
      acceleratorKind: 'gpu',
      quantity: 350000,
      quantityQualifier: 'approximate',
      deliveryFrom: null,
      deliveryBy: '2024-Q4',
    },
  ];
  const ok =
    summary.length === expected.length &&
    expected.every((want) => summary.some((got) => Object.entries(want).every(([key, value]) => got[key as keyof typeof got] === value)));
  console.log(`\nseed article (${seedPath}, published 2024-02-28, language ${result.language}): ${ok ? 'PASS' : 'FAIL'}`);
  for (const candidate of result.candidates) {
    const chip = candidate.accelerator?.name ?? `(${candidate.acceleratorKind} chip, unnamed)`;
    console.log(
      `  ${candidate.company?.name ?? '?'} · ${chip} · ${candidate.quantity ?? 'no quantity'} ${candidate.quantityQualifier ?? ''} · ${candidate.deliveryFrom ?? '…'}..${candidate.deliveryBy ?? '…'} · ${candidate.status}`,
    );
    console.log(`    "${candidate.evidence.text}" [${candidate.evidence.start}, ${candidate.evidence.end})`);
  }
  if (!ok) process.exitCode = 1;
}

console.log();
// Speed on the longest text the API accepts: the labelled texts joined up to 100,000 characters.
const joined: string[] = [];
let length = 0;
for (let index = 0; length < 100_000; index++) {
  const text = labelledSet.examples[index % labelledSet.examples.length].text;
  joined.push(text);
  length += text.length + 1;
}
const longText = joined.join('\n').slice(0, 100_000);
// The first run includes compiling the patterns; later ones are what a running server sees.
for (const run of ['first run', 'second run', 'third run']) {
  const started = performance.now();
  const longResult = extractCommitments({ text: longText, publishedOn: '2025-01-01' }, catalog);
  const elapsed = (performance.now() - started).toFixed(0);
  console.log(
    `speed, ${run}: ${longText.length} characters in ${elapsed} ms (${longResult.candidates.length} candidates after merging repeats)`,
  );
}
