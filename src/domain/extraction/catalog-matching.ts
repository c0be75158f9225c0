import { matchesOf } from './matches.js';
import type { AcceleratorKind } from '../vocabulary.js';
import type { CatalogAccelerator, CatalogCompany } from './types.js';

export interface CompanyMention {
  start: number;
  end: number;
  /** The catalog company, or null for a pronoun ("the company", "mereka") or a name the catalog lacks. */
  company: CatalogCompany | null;
  /** The name as written, for a company the catalog lacks; null for a pronoun. */
  unknownName: string | null;
}

export type ChipMentionType = 'catalog' | 'unknown' | 'custom_generic' | 'gpu_generic';

export interface ChipMention {
  start: number;
  end: number;
  type: ChipMentionType;
  accelerator: CatalogAccelerator | null;
  /** The chip's name: the catalog name, or the name as written for an unknown chip; null for a generic mention. */
  name: string | null;
  kind: AcceleratorKind;
  /** "H100 equivalents": a unit of measure, not the chip itself. */
  equivalent: boolean;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A name as a pattern: spaces and hyphens between its parts are interchangeable or absent ("TPUv7", "TPU-v7"). */
const namePattern = (name: string) =>
  name
    .trim()
    .split(/[\s-]+/)
    .map(escape)
    .join('[\\s-]?');
const BEFORE = String.raw`(?<![\p{Script=Latin}\p{N}])`;
const AFTER = String.raw`(?:s|'s|’s)?(?![\p{Script=Latin}\p{N}])`;

interface NamePattern<T> {
  item: T;
  pattern: RegExp;
  /** The name's first part in lower case: a text without it cannot match, and is not searched. */
  needle: string;
}

/** Compiled once per catalog (the same arrays are passed for every sentence of a text). */
const compiled = new WeakMap<readonly object[], NamePattern<unknown>[]>();

function namePatterns<T extends object>(
  items: readonly T[],
  names: (item: T) => string[],
  caseSensitive: (name: string) => boolean,
): NamePattern<T>[] {
  const cached = compiled.get(items);
  if (cached) return cached as NamePattern<T>[];
  const patterns = items
    .flatMap((item) => names(item).map((name) => ({ item, name: name.trim() })))
    .filter((entry) => entry.name.length > 0)
    .sort((a, b) => b.name.length - a.name.length)
    .map(({ item, name }) => ({
      item,
      pattern: new RegExp(`${BEFORE}${namePattern(name)}${AFTER}`, caseSensitive(name) ? 'gu' : 'giu'),
      needle: name.split(/[\s-]+/)[0].toLowerCase(),
    }));
  compiled.set(items, patterns);
  return patterns;
}

/** Every occurrence of any of the names, longest name first, without overlaps. */
function findNames<T>(text: string, patterns: NamePattern<T>[]): { start: number; end: number; item: T }[] {
  const found: { start: number; end: number; item: T }[] = [];
  const lowerText = text.toLowerCase();
  for (const { item, pattern, needle } of patterns) {
    if (!lowerText.includes(needle)) continue;
    for (const match of matchesOf(pattern, text)) {
      const start = match.index;
      const end = start + match[0].length;
      if (found.some((other) => start < other.end && end > other.start)) continue;
      found.push({ start, end, item });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

const PRONOUNS =
  /(?<![\p{L}])(?:the company|the firm|the group|it|its|they|their|perusahaan ini|perusahaan tersebut|perusahaannya|mereka|la société|l'entreprise|le groupe|同社|이 회사|해당 회사)(?![\p{L}])/giu;

/**
 * A capitalised name ("CoreWeave", "Saudi Arabia's Humain", "xAI") right before the verb of a commitment; at most
 * four words, so that a long run of capitalised words costs linear time, not quadratic.
 */
const UNKNOWN_COMPANY =
  /(?<![\p{L}\p{N}])(?<name>(?:[A-Z][\p{L}\p{N}&.-]*|[a-z]{1,2}[A-Z][\p{L}\p{N}]*)(?:\s(?:[A-Z][\p{L}\p{N}&.-]*|of|de|AI)){0,3})(?=\s(?:will|plans|planned|plan|has|have|had|said|says|ordered|orders|bought|buys|deployed|deploys|installed|intends|aims|agreed|signed|expects|reportedly|is|akan|berencana|telah|sudah|memesan|membeli|memasang|menerapkan|dilaporkan|dikabarkan|va|prévoit|a|aurait|compte)(?![\p{L}]))/gu;
const NOT_COMPANIES = new Set(
  'The It Its They Their This That These In On By At For And But Meanwhile Pada Di Dalam Untuk Mereka Ini Perusahaan Selain Sementara Le La Les Elle Il Ils En Sources Analysts CEO Reports Report According'.split(
    ' ',
  ),
);

/** Companies of the catalog by name or alias, and pronouns that refer back to the last company named. */
export function findCompanyMentions(text: string, companies: readonly CatalogCompany[]): CompanyMention[] {
  const patterns = namePatterns(
    companies,
    (company) => [company.name, ...company.aliases],
    (name) => name.length < 4,
  );
  const mentions: CompanyMention[] = findNames(text, patterns).map(({ start, end, item }) => ({
    start,
    end,
    company: item,
    unknownName: null,
  }));
  for (const match of matchesOf(PRONOUNS, text)) {
    const start = match.index;
    const end = start + match[0].length;
    if (mentions.some((other) => start < other.end && end > other.start)) continue;
    mentions.push({ start, end, company: null, unknownName: null });
  }
  return mentions.sort((a, b) => a.start - b.start);
}

/**
 * Names the catalog lacks in the place of a sentence's subject: a capitalised phrase right before a verb such as
 * "will", "plans", "ordered", "akan". Vendors, chips and known companies are not taken for new companies.
 */
export function findUnknownCompanies(text: string, excluded: (name: string) => boolean): CompanyMention[] {
  const mentions: CompanyMention[] = [];
  for (const match of matchesOf(UNKNOWN_COMPANY, text)) {
    let name = match.groups?.name ?? '';
    let start = match.index;
    const possessive = /^.*['’]s\s/u.exec(name);
    if (possessive) {
      start += possessive[0].length;
      name = name.slice(possessive[0].length);
    }
    const words = name.split(' ');
    while (words.length > 0 && NOT_COMPANIES.has(words[0])) {
      start += words[0].length + 1;
      words.shift();
    }
    name = words.join(' ').replace(/[.,]+$/, '');
    if (name.length < 2 || excluded(name)) continue;
    mentions.push({ start, end: start + name.length, company: null, unknownName: name });
  }
  return mentions;
}

const CUSTOM_GENERIC =
  /(?<![\p{L}])(?:(?:custom|in-house|proprietary|own|homegrown|home-grown|self-developed|bespoke)\s(?:AI\s)?(?:chips?|silicon|accelerators?|processors?)|(?:chip|cip|prosesor|akselerator)\s(?:AI\s)?(?:kustom|khusus|buatan\ssendiri|rancangan\ssendiri|sendiri|internal)|puces?\s(?:IA\s)?(?:maison|personnalisées?|sur\smesure)|자체\s?(?:AI\s?)?칩|独自(?:の)?(?:AI)?(?:チップ|半導体)|カスタム(?:AI)?チップ)(?![\p{Script=Latin}])/giu;
const GPU_GENERIC =
  /(?<![\p{L}])(?:GPUs?|graphics processing units?|graphics processors?|graphics cards?|(?:unit\s)?pemrosesan\sgrafis|kartu\sgrafis|AI chips?|chips?\sAI|accelerators?|akselerator|processeurs?\sgraphiques|puces?(?:\sIA)?|cartes?\sgraphiques)(?![\p{Script=Latin}])|GPU|그래픽\s?처리\s?장치|AI\s?칩|AI\s?チップ|AI\s?半導体/giu;
const EQUIVALENT_AFTER = /^[\s-]?(?:equivalents?|equiv\.?|setara|相当|환산)/iu;
const EQUIVALENT_BEFORE = /(?:setara|equivalent\sof|équivalent)\s$/iu;

const KNOWN_VENDORS = [
  'Nvidia',
  'AMD',
  'Intel',
  'Huawei',
  'Google',
  'Amazon',
  'AWS',
  'Cerebras',
  'Groq',
  'Tenstorrent',
  'Qualcomm',
  'Broadcom',
];
const CUSTOM_FAMILIES = /^(?:TPU|Trainium|Inferentia|MTIA|Maia|Ascend)/i;
const FAMILY = String.raw`TPUs?(?:\s?v\d+[a-z]?)?|Trainium\s?\d?|Inferentia\s?\d?|Blackwell|Hopper|Rubin|Ascend\s?\d{3}[A-Z]?|Instinct`;
const FAMILY_ONLY = new RegExp(`^(?:${FAMILY})$`, 'u');
const MODEL = String.raw`[A-Z]{1,3}\d{2,4}[A-Z]{0,3}`;

const unknownChipPatterns = new WeakMap<readonly CatalogAccelerator[], { unknown: RegExp; customVendors: Set<string> }>();

/** A chip the catalog lacks: a family name, or a model code after a vendor's name or before "GPU". */
function unknownChipPattern(accelerators: readonly CatalogAccelerator[]): { unknown: RegExp; customVendors: Set<string> } {
  const cached = unknownChipPatterns.get(accelerators);
  if (cached) return cached;
  const vendors = [...new Set([...KNOWN_VENDORS, ...accelerators.map((chip) => chip.vendor)])].map(escape).join('|');
  const customVendors = new Set(accelerators.filter((chip) => chip.kind === 'custom').map((chip) => chip.vendor.toLowerCase()));
  const unknown = new RegExp(
    String.raw`${BEFORE}(?:(?<vendor>${vendors})(?:'s|’s)?\s)?(?<model>${FAMILY}|${MODEL})(?<gpu>\s?(?:GPUs?|chips?|accelerators?))?(?![\p{Script=Latin}\p{N}])`,
    'gu',
  );
  const result = { unknown, customVendors };
  unknownChipPatterns.set(accelerators, result);
  return result;
}

/**
 * Chips in a text: catalog names and aliases first (longest first), then chips the catalog lacks (a model code
 * after a vendor name or before "GPU"; a family such as "TPU" or "Blackwell"), then a custom chip named only
 * generically ("its custom chip", "chip kustom"), then generic words for GPUs.
 */
export function findChipMentions(text: string, accelerators: readonly CatalogAccelerator[]): ChipMention[] {
  const patterns = namePatterns(
    accelerators,
    (chip) => [chip.name, ...chip.aliases],
    () => false,
  );
  const mentions: ChipMention[] = findNames(text, patterns).map(({ start, end, item }) => ({
    start,
    end,
    type: 'catalog',
    accelerator: item,
    name: item.name,
    kind: item.kind,
    equivalent: false,
  }));
  const free = (start: number, end: number) => !mentions.some((other) => start < other.end && end > other.start);

  const { unknown, customVendors } = unknownChipPattern(accelerators);
  for (const match of matchesOf(unknown, text)) {
    const groups = match.groups ?? {};
    const model = groups.model;
    const isFamily = FAMILY_ONLY.test(model);
    if (!isFamily && !groups.vendor && !groups.gpu) continue;
    const modelStart = match.index + match[0].indexOf(model);
    const modelEnd = modelStart + model.length;
    if (!free(modelStart, modelEnd)) continue;
    const name = model.replace(/^TPUs/, 'TPU');
    const custom = CUSTOM_FAMILIES.test(name) || (groups.vendor !== undefined && customVendors.has(groups.vendor.toLowerCase()));
    mentions.push({
      start: modelStart,
      end: modelEnd,
      type: 'unknown',
      accelerator: null,
      name,
      kind: custom ? 'custom' : 'gpu',
      equivalent: false,
    });
  }
  for (const match of matchesOf(CUSTOM_GENERIC, text)) {
    const end = match.index + match[0].length;
    if (free(match.index, end)) {
      mentions.push({ start: match.index, end, type: 'custom_generic', accelerator: null, name: null, kind: 'custom', equivalent: false });
    }
  }
  for (const match of matchesOf(GPU_GENERIC, text)) {
    const end = match.index + match[0].length;
    if (free(match.index, end)) {
      mentions.push({ start: match.index, end, type: 'gpu_generic', accelerator: null, name: null, kind: 'gpu', equivalent: false });
    }
  }
  for (const mention of mentions) {
    mention.equivalent =
      EQUIVALENT_AFTER.test(text.slice(mention.end, mention.end + 14)) ||
      EQUIVALENT_BEFORE.test(text.slice(Math.max(0, mention.start - 16), mention.start));
  }
  return mentions.sort((a, b) => a.start - b.start);
}
