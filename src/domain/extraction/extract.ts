import type { CatalogCompany, Candidate, ExtractionCatalog, ExtractionInput, ExtractionResult, NamedRef } from './types.js';
import { type ChipMention, type CompanyMention, findChipMentions, findCompanyMentions, findUnknownCompanies } from './catalog-matching.js';
import { detectLanguage, unreadableNotice } from './language.js';
import { findNumbers, type NumberMention } from './numbers.js';
import { findPeriods, fiscalYearOf, type PeriodMention } from './periods.js';
import { splitSentences } from './sentences.js';
import { COMMITMENT_VERB, statusOf } from './status.js';

/** At most this many words between a number and the chip it counts ("350.000 unit pemrosesan grafis H100"). */
const WORDS_TO_CHIP_AFTER = 6;
const WORDS_TO_CHIP_BEFORE = 3;
/** At most this many words between a stated figure and a range that brackets it ("about 350,000 (300,000–400,000)"). */
const WORDS_TO_RANGE = 6;
const FROM_BEFORE = /(?:from|dari|de|by|oleh|chez|produsen|supplier|maker|pembuat|with|dengan)\s(?:[\p{L}'’,]+\s){0,3}$/iu;

const SUPPLY_VERB =
  /(?<![\p{L}])(?:suppl(?:y|ies|ied)|ship(?:s|ped)?|sell(?:s)?|sold|deliver(?:s|ed)? to|memasok|menjual|mengirim|fournir|fournira|livrer|공급|납품|供給|出荷)(?![\p{Script=Latin}])/iu;

interface Found {
  anchor: number;
  chip: ChipMention;
  number: NumberMention | null;
}

const UNIT_WORD_AFTER = /^[\s-]*(?:units?|buah|keping|Stück|장|개|대|基|台|個|枚)/iu;
const COUNTER_AFTER = /^\s?(?:장|개|대|基|台|個|枚)/u;

const wordCount = (text: string) => text.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && a.end > b.start;
const specific = (chip: ChipMention) => chip.type !== 'gpu_generic';

/** The chip a count refers to: a chip named right after it, else one right before it (Korean, Japanese order). */
function chipForNumber(sentence: string, number: NumberMention, chips: ChipMention[], numbers: NumberMention[]): ChipMention | null {
  const nextNumber = numbers.find((other) => other.start >= number.end)?.start ?? Infinity;
  const previousNumber = numbers.filter((other) => other.end <= number.start).at(-1)?.end ?? -Infinity;
  const after = chips.filter(
    (chip) =>
      chip.start >= number.end && chip.start < nextNumber && wordCount(sentence.slice(number.end, chip.start)) <= WORDS_TO_CHIP_AFTER,
  );
  const before = chips.filter(
    (chip) =>
      chip.end <= number.start && chip.end > previousNumber && wordCount(sentence.slice(chip.end, number.start)) <= WORDS_TO_CHIP_BEFORE,
  );
  const firstAfter = after[0];
  const rest = sentence.slice(number.end);
  // The first word after the number must be a chip or a word for units ("unit", "GPUs", "장"), not "years".
  const adjacentAfter = firstAfter !== undefined && wordCount(sentence.slice(number.end, firstAfter.start)) <= 1;
  const specificAfter = after.find(specific);
  const specificBefore = before.filter(specific).at(-1);
  if (specificAfter && (adjacentAfter || UNIT_WORD_AFTER.test(rest) || /^[\s-]*of\s/iu.test(rest))) return specificAfter;
  if (adjacentAfter) return specificBefore ?? firstAfter;
  // "H100 GPU 35만 개", "H100を約1万基": the chip comes first.
  if (specificBefore && (UNIT_WORD_AFTER.test(rest) || /^(?:$|[\s,、])/u.test(rest))) return specificBefore;
  // "GPU 1000장": a generic chip, counted in Korean or Japanese right after it.
  const genericBefore = before.at(-1);
  if (genericBefore && COUNTER_AFTER.test(rest)) return genericBefore;
  return null;
}

/** A range in the sentence, counting no chip itself, that brackets a stated figure near it. */
function bracketingRange(sentence: string, number: NumberMention, counts: NumberMention[], used: Set<NumberMention>): NumberMention | null {
  for (const other of counts) {
    if (other.range === null || used.has(other)) continue;
    if (number.value < other.range.low || number.value > other.range.high || overlaps(other, number)) continue;
    const gap = other.start >= number.end ? sentence.slice(number.end, other.start) : sentence.slice(other.end, number.start);
    if (wordCount(gap) <= WORDS_TO_RANGE) return other;
  }
  return null;
}

/**
 * Finds every commitment a text states, as candidates for the analyst to review. Pure and deterministic. A text in
 * a language the rules do not know gets no candidates and a notice saying so.
 */
export function extractCommitments(input: ExtractionInput, catalog: ExtractionCatalog): ExtractionResult {
  const language = input.language ?? detectLanguage(input.text);
  const notice = unreadableNotice(language, input.text);
  if (notice !== null) return { language, unsupported: true, notice, candidates: [] };
  const fiscalYear = fiscalYearOf(input.text, language);
  const vendorNames = new Set(catalog.accelerators.map((chip) => chip.vendor.toLowerCase()));
  const knownNames = new Set(
    [
      ...catalog.companies.flatMap((company) => [company.name, ...company.aliases]),
      ...catalog.accelerators.flatMap((chip) => [chip.name, ...chip.aliases]),
    ].map((name) => name.toLowerCase()),
  );
  const candidates: Candidate[] = [];
  let referent: NamedRef | null = null;

  for (const sentence of splitSentences(input.text)) {
    const text = sentence.text;
    if (!/[\p{L}\p{N}]/u.test(text)) continue;
    const chips = findChipMentions(text, catalog.accelerators);
    const periods = findPeriods(text, input.publishedOn, fiscalYear);
    const numbers = findNumbers(text).filter(
      (number) =>
        !chips.some((chip) => chip.type !== 'gpu_generic' && overlaps(chip, number)) && !periods.some((period) => overlaps(period, number)),
    );
    const counts = numbers.filter((number) => number.role === 'count');
    const known = findCompanyMentions(text, catalog.companies);
    const unknown = findUnknownCompanies(
      text,
      (name) =>
        knownNames.has(name.toLowerCase()) ||
        vendorNames.has(name.toLowerCase()) ||
        chips.some((chip) => chip.name?.toLowerCase() === name.toLowerCase()),
    ).filter((mention) => !known.some((other) => overlaps(other, mention)) && !chips.some((chip) => overlaps(chip, mention)));
    const companies = [...known, ...unknown].sort((a, b) => a.start - b.start);

    const hasVerb = COMMITMENT_VERB.test(text);
    const found: Found[] = [];
    const usedChips = new Set<ChipMention>();
    const usedNumbers = new Set<NumberMention>();
    for (const number of counts) {
      const chip = chipForNumber(text, number, chips, counts);
      if (!chip) continue;
      usedChips.add(chip);
      usedNumbers.add(number);
      if (chip.equivalent) continue;
      found.push({ anchor: Math.min(number.start, chip.start), chip, number });
    }
    if (hasVerb) {
      for (const chip of chips) {
        if (usedChips.has(chip) || chip.equivalent || chip.type === 'gpu_generic') continue;
        if (found.some((other) => sameChip(other.chip, chip))) continue;
        found.push({ anchor: chip.start, chip, number: null });
      }
    }

    const status = statusOf(text);
    const sentenceStartReferent = referent;
    for (const item of found.sort((a, b) => a.anchor - b.anchor)) {
      const company = buyerOf(item, companies, sentenceStartReferent, text);
      // A count with no buyer and no verb of acquiring is a specification ("the rack holds 72 GPUs").
      if (company === null && !hasVerb) continue;
      const period = nearestPeriod(periods, item.anchor);
      const range =
        item.number === null ? null : (item.number.range ?? bracketingRange(text, item.number, counts, usedNumbers)?.range ?? null);
      candidates.push({
        company,
        accelerator: item.chip.name === null ? null : { id: item.chip.accelerator?.id ?? null, name: item.chip.name },
        acceleratorKind: item.chip.kind,
        quantity: item.number?.value ?? null,
        quantityQualifier: item.number?.qualifier ?? null,
        amountLow: range?.low ?? null,
        amountHigh: range?.high ?? null,
        deliveryFrom: period?.deliveryFrom ?? null,
        deliveryBy: period?.deliveryBy ?? null,
        status,
        evidence: { text: sentence.text, start: sentence.start, end: sentence.end },
      });
      if (company) referent = company;
    }
    if (found.length === 0) {
      const subject = companies.find((mention) => !FROM_BEFORE.test(text.slice(0, mention.start)));
      if (subject) referent = refOf(subject, referent);
    }
  }
  return { language, unsupported: false, notice: null, candidates: mergeRepeats(candidates) };
}

function sameChip(a: ChipMention, b: ChipMention): boolean {
  if (a.type !== b.type) return false;
  if (a.type === 'catalog') return a.accelerator?.id === b.accelerator?.id;
  return a.name === b.name;
}

function refOf(mention: CompanyMention, referent: NamedRef | null): NamedRef | null {
  if (mention.company) return companyRef(mention.company);
  if (mention.unknownName) return { id: null, name: mention.unknownName };
  return referent;
}

const companyRef = (company: CatalogCompany): NamedRef => ({ id: company.id, name: company.name });

/**
 * Who commits: the last company (or pronoun) named before the number or chip, not after "from"/"dari" and not
 * the chip's own vendor where the sentence speaks of supplying ("Nvidia will ship … to xAI"); else the first such company after it; else the chip's vendor; else the company the
 * text last made its subject. A pronoun refers to the last company named before it in the sentence, or to the
 * text's last subject.
 */
function buyerOf(item: Found, companies: CompanyMention[], referent: NamedRef | null, text: string): NamedRef | null {
  const vendor = SUPPLY_VERB.test(text) ? item.chip.accelerator?.vendor.toLowerCase() : undefined;
  const isVendor = (mention: CompanyMention) =>
    vendor !== undefined &&
    mention.company !== null &&
    [mention.company.name, ...mention.company.aliases].some((name) => name.toLowerCase() === vendor);
  const isSupplier = (mention: CompanyMention) => FROM_BEFORE.test(text.slice(0, mention.start));
  const resolve = (mention: CompanyMention): NamedRef | null => {
    if (mention.company || mention.unknownName) return refOf(mention, referent);
    const earlier = companies
      .filter((other) => other.end <= mention.start && (other.company || other.unknownName) && !isSupplier(other))
      .at(-1);
    return earlier ? refOf(earlier, referent) : referent;
  };
  const before = companies.filter((mention) => mention.end <= item.anchor && !isSupplier(mention));
  const buyerBefore = before.filter((mention) => !isVendor(mention)).at(-1);
  if (buyerBefore) return resolve(buyerBefore);
  const buyerAfter = companies.find(
    (mention) => mention.start >= item.anchor && !isSupplier(mention) && !isVendor(mention) && mention.company !== null,
  );
  if (buyerAfter) return resolve(buyerAfter);
  const vendorBefore = before.at(-1);
  if (vendorBefore) return resolve(vendorBefore);
  return referent;
}

function nearestPeriod(periods: PeriodMention[], anchor: number): PeriodMention | null {
  let best: PeriodMention | null = null;
  let bestDistance = Infinity;
  for (const period of periods) {
    const distance = period.start >= anchor ? period.start - anchor : anchor - period.end;
    if (distance < bestDistance) {
      best = period;
      bestDistance = distance;
    }
  }
  return best;
}

const refKey = (ref: NamedRef | null) => (ref === null ? '' : (ref.id ?? `name:${ref.name.toLowerCase()}`));
const chipKey = (candidate: Candidate) => `${candidate.acceleratorKind}|${refKey(candidate.accelerator)}`;

/**
 * An article repeats itself: a later mention of the same company and chip with the same quantity (or with no
 * quantity at all) is the same commitment, not a new one. The first mention stays, filled in with a period or
 * quantity that only the later one gives.
 */
function mergeRepeats(candidates: Candidate[]): Candidate[] {
  const kept: Candidate[] = [];
  // Per company and chip: the first candidate, the first with no quantity, and the first of each quantity.
  const byKey = new Map<string, { first: Candidate; unquantified: Candidate | null; byQuantity: Map<number, Candidate> }>();
  for (const candidate of candidates) {
    const key = `${refKey(candidate.company)}|${chipKey(candidate)}`;
    const group = byKey.get(key);
    const same =
      group === undefined
        ? undefined
        : candidate.quantity === null
          ? group.first
          : (group.byQuantity.get(candidate.quantity) ?? group.unquantified);
    if (group === undefined || same === undefined || same === null) {
      kept.push(candidate);
      const entry = group ?? { first: candidate, unquantified: null, byQuantity: new Map<number, Candidate>() };
      if (candidate.quantity === null) entry.unquantified ??= candidate;
      else entry.byQuantity.set(candidate.quantity, candidate);
      byKey.set(key, entry);
      continue;
    }
    if (same.quantity === null && candidate.quantity !== null) {
      Object.assign(same, {
        quantity: candidate.quantity,
        quantityQualifier: candidate.quantityQualifier,
        amountLow: candidate.amountLow,
        amountHigh: candidate.amountHigh,
        evidence: candidate.evidence,
      });
      group.unquantified = null;
      group.byQuantity.set(candidate.quantity, same);
    }
    if (same.amountLow === null && same.amountHigh === null && candidate.amountLow !== null && candidate.quantity === same.quantity) {
      Object.assign(same, { amountLow: candidate.amountLow, amountHigh: candidate.amountHigh });
    }
    if (same.deliveryBy === null && candidate.deliveryBy !== null) {
      Object.assign(same, { deliveryFrom: candidate.deliveryFrom, deliveryBy: candidate.deliveryBy });
    }
  }
  return kept;
}
