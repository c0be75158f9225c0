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

/**
 * Korean particles that may follow a name written in Hangul ("네이버는", "삼성전자가", "메타로부터"), longest first.
 * Anything else in Hangul right after the name makes a longer word: "네이버클라우드" is not "네이버".
 */
const KOREAN_PARTICLES = [
  '으로부터',
  '로부터',
  '에서는',
  '에게서',
  '이라는',
  '에서',
  '에게',
  '께서',
  '으로',
  '까지',
  '부터',
  '보다',
  '처럼',
  '라는',
  '와의',
  '과의',
  '에는',
  '측은',
  '측이',
  '측',
  '은',
  '는',
  '이',
  '가',
  '을',
  '를',
  '의',
  '와',
  '과',
  '도',
  '에',
  '로',
  '만',
];
const KATAKANA = String.raw`\p{Script=Katakana}ー`;

type Script = 'hangul' | 'katakana' | 'han' | 'latin';
const scriptOf = (char: string): Script =>
  /\p{Script=Hangul}/u.test(char)
    ? 'hangul'
    : /[\p{Script=Katakana}ー]/u.test(char)
      ? 'katakana'
      : /\p{Script=Han}/u.test(char)
        ? 'han'
        : 'latin';
const BEFORE_BY_SCRIPT: Record<Script, string> = {
  hangul: String.raw`(?<!\p{Script=Hangul})`,
  katakana: `(?<![${KATAKANA}])`,
  han: String.raw`(?<!\p{Script=Han})`,
  latin: BEFORE,
};
const AFTER_BY_SCRIPT: Record<Script, string> = {
  hangul: String.raw`(?=(?:${KOREAN_PARTICLES.join('|')})?(?!\p{Script=Hangul}))`,
  katakana: `(?![${KATAKANA}])`,
  han: String.raw`(?!\p{Script=Han})`,
  latin: AFTER,
};

/**
 * The boundaries of a name, by the script of its first and last letters: Latin names end where Latin letters and
 * digits end (an "s" or "'s" may follow); scripts written without spaces end where their own script ends, a
 * Hangul name before a particle at most.
 */
const boundaries = (name: string) => ({ before: BEFORE_BY_SCRIPT[scriptOf(name[0])], after: AFTER_BY_SCRIPT[scriptOf(name.at(-1) ?? '')] });

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
    .map(({ item, name }) => {
      const { before, after } = boundaries(name);
      return {
        item,
        pattern: new RegExp(`${before}${namePattern(name)}${after}`, caseSensitive(name) ? 'gu' : 'giu'),
        needle: name.split(/[\s-]+/)[0].toLowerCase(),
      };
    });
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
  /(?<![\p{L}])(?:the company|the firm|the group|it|its|they|their|perusahaan ini|perusahaan tersebut|perusahaannya|mereka|la société|l'entreprise|le groupe|das Unternehmen|der Konzern|同社|이 회사|해당 회사)(?![\p{L}])/giu;

/**
 * A capitalised name ("CoreWeave", "Saudi Arabia's Humain", "xAI") right before the verb of a commitment; at most
 * four words, so that a long run of capitalised words costs linear time, not quadratic.
 */
const UNKNOWN_COMPANY =
  /(?<![\p{L}\p{N}])(?<name>(?:[A-Z][\p{L}\p{N}&.-]*|[a-z]{1,2}[A-Z][\p{L}\p{N}]*)(?:\s(?:[A-Z][\p{L}\p{N}&.-]*|of|de|AI)){0,3})(?=\s(?:will|plans|planned|plan|has|have|had|said|says|ordered|orders|bought|buys|deployed|deploys|installed|intends|aims|agreed|signed|expects|reportedly|is|akan|berencana|telah|sudah|memesan|membeli|memasang|menerapkan|dilaporkan|dikabarkan|va|prévoit|a|aurait|compte|installera|achètera|déploiera|commandera)(?![\p{L}]))/gu;
const NOT_COMPANIES = new Set(
  'The It Its They Their This That These In On By At For And But Meanwhile Pada Di Dalam Untuk Mereka Ini Perusahaan Selain Sementara Le La Les Elle Il Ils En Sources Analysts CEO Reports Report According Government Pemerintah Regierung Gouvernement'.split(
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
 * A name in Hangul (a Latin prefix allowed: "SK텔레콤", "KT클라우드") or a capitalised Latin name, followed by a
 * topic or subject particle and a space: "카카오는 …", "Upstage가 …". Bounded repeats: linear time.
 */
const KOREAN_SUBJECT =
  /(?<![\p{L}\p{N}])(?<name>[A-Za-z0-9&]{0,10}\p{Script=Hangul}{1,12}|[A-Z][A-Za-z0-9&.]{0,20})(?:은|는|이|가)(?=[\s,])/gu;
/** Katakana, kanji and Latin ("ソフトバンク", "楽天グループ", "NTTデータ") followed by は or が, as a sentence's first word. */
const JAPANESE_SUBJECT = /(?<![\p{L}\p{N}ー])(?<name>[\p{Script=Katakana}ー・\p{Script=Han}A-Za-z0-9&]{2,24})(?:は|が)/gu;
/** Words that stand where a subject stands but name no buyer: time words, the government, "the plan", chip makers. */
const NOT_CJK_COMPANIES = new Set(
  (
    '올해 내년 작년 지난해 이번 이날 당시 현재 최근 한편 또한 특히 정부 업계 회사 기업 당사 우리 이들 그들 이는 이것 그것 관계자 전문가 ' +
    '시장 계획 투자 계약 규모 목표 수요 공급 가격 발표 보고서 소식통 제품 서비스 모델 회장 대표 사장 고객 ' +
    '同社 当社 両社 同グループ 政府 今回 今年 来年 昨年 市場 関係者 需要 計画 投資 契約 規模 目標 製品 モデル 社長 会長 顧客 ' +
    // Chip makers, who supply rather than buy, and words in capitals that are not names.
    '엔비디아 인텔 퀄컴 브로드컴 화웨이 エヌビディア インテル クアルコム ブロードコム ファーウェイ AI CEO GPU CPU HBM TPU'
  ).split(' '),
);
/** Endings of common nouns, and of verb forms before 는/은 ("도입하는"), that no company name has. */
const NOT_CJK_COMPANY_ENDING =
  /(?:센터|클러스터|서버|시스템|프로젝트|칩|반도체|슈퍼컴퓨터|[하되있없않했됐였었았겠던한된할될들]|センター|クラスター|サーバー|システム|プロジェクト|チップ|半導体|スパコン|[年月日])$/u;
/** A country or region before a company in Japanese news: "米オラクル" is Oracle of the United States. */
const JAPANESE_COUNTRY_PREFIX = /^[米英仏独中韓日台印欧豪加]/u;

function cjkSubjects(text: string): { start: number; name: string }[] {
  const subjects: { start: number; name: string }[] = [];
  for (const match of matchesOf(KOREAN_SUBJECT, text)) subjects.push({ start: match.index, name: match.groups?.name ?? '' });
  for (const match of matchesOf(JAPANESE_SUBJECT, text)) {
    let name = match.groups?.name ?? '';
    let start = match.index;
    if (/^\P{Script=Han}/u.test(name.slice(1)) && JAPANESE_COUNTRY_PREFIX.test(name)) {
      name = name.slice(1);
      start += 1;
    }
    subjects.push({ start, name });
  }
  return subjects.filter(
    ({ name }) =>
      name.length >= 2 &&
      !/^[\p{N}]/u.test(name) &&
      !NOT_CJK_COMPANIES.has(name) &&
      !NOT_COMPANIES.has(name) &&
      !NOT_CJK_COMPANY_ENDING.test(name) &&
      // Latin-only names need a Korean particle; a lone capitalised word before "は" is rare and mostly a chip.
      (/[\p{Script=Hangul}\p{Script=Katakana}\p{Script=Han}]/u.test(name) || /^[A-Z]/u.test(name)),
  );
}

/**
 * Names the catalog lacks in the place of a sentence's subject: a capitalised phrase right before a verb such as
 * "will", "plans", "ordered", "akan"; in Korean and Japanese, a name before a topic or subject particle
 * ("카카오는", "ソフトバンクは"). Vendors, chips and known companies are not taken for new companies.
 */
export function findUnknownCompanies(text: string, excluded: (name: string) => boolean): CompanyMention[] {
  const mentions: CompanyMention[] = [];
  for (const { start, name } of cjkSubjects(text)) {
    if (excluded(name)) continue;
    mentions.push({ start, end: start + name.length, company: null, unknownName: name });
  }
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
    if (mentions.some((other) => start < other.end && start + name.length > other.start)) continue;
    mentions.push({ start, end: start + name.length, company: null, unknownName: name });
  }
  return mentions.sort((a, b) => a.start - b.start);
}

const CUSTOM_GENERIC =
  /(?<![\p{L}])(?:(?:custom|in-house|proprietary|own|homegrown|home-grown|self-developed|bespoke)\s(?:AI\s)?(?:chips?|silicon|accelerators?|processors?)|(?:chip|cip|prosesor|akselerator)\s(?:AI\s)?(?:kustom|khusus|buatan\ssendiri|rancangan\ssendiri|sendiri|internal)|puces?\s(?:IA\s)?(?:maison|personnalisées?|sur\smesure)|자체\s?(?:AI\s?)?칩|独自(?:の)?(?:AI)?(?:チップ|半導体)|カスタム(?:AI)?チップ)(?![\p{Script=Latin}])/giu;
const GPU_GENERIC =
  /(?<![\p{L}])(?:GPUs?|graphics processing units?|graphics processors?|graphics cards?|(?:unit\s)?pemrosesan\sgrafis|kartu\sgrafis|AI chips?|chips?\sAI|accelerators?|akselerator|processeurs?\sgraphiques|puces?(?:\sIA)?|cartes?\sgraphiques|Grafikprozessoren|Grafikchips|KI-Chips|Beschleuniger)(?![\p{Script=Latin}])|GPU|그래픽\s?처리\s?장치|AI\s?칩|AI\s?チップ|AI\s?半導体/giu;
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
const MODEL = String.raw`[A-Z]{1,3}\d{2,4}[A-Z]{0,3}`;
/** Words around a chip family or model that belong to its name: "Vera Rubin NVL144", "Rubin Ultra", "B300 NVL16". */
const NAME_PREFIX = String.raw`(?:(?:Vera|Grace)\s)?`;
const NAME_SUFFIXES = String.raw`(?:[\s-](?:Ultra|CPX|NVL\d{1,3}|SXM\d?|PCIe|HGX|Superchip)){0,2}`;
const FAMILY_ONLY = new RegExp(`^${NAME_PREFIX}(?:${FAMILY})${NAME_SUFFIXES}$`, 'u');
/** After a catalog name: its form (a rack, a board, a memory size), part of the same mention, not another chip. */
const FORM_AFTER = /^(?:[\s-](?:NVL\d{1,3}|SXM\d?|PCIe|HGX|OAM|Superchip|\d{2,3}\s?GB)){1,3}(?![\p{Script=Latin}\p{N}])/iu;
/**
 * After a catalog name ending in a word ("Maia", "MTIA", "Trillium"): a version or model number names another chip
 * of the family ("Maia 200", "MTIA v3"), not the catalog's. A count in Korean or Japanese order ("MTIA 500개") is not one.
 */
const OTHER_MODEL_AFTER =
  /^[\s-]?(?:v\d{1,2}[a-z]?|\d{1,3}[A-Z]?|Ultra|CPX)(?![\p{Script=Latin}\p{N}]|[.,]\d|\s?[十百千万萬億십백천만억장개대基台個枚])/u;

const unknownChipPatterns = new WeakMap<readonly CatalogAccelerator[], { unknown: RegExp; customVendors: Set<string> }>();

/** A chip the catalog lacks: a family name, or a model code after a vendor's name or before "GPU". */
function unknownChipPattern(accelerators: readonly CatalogAccelerator[]): { unknown: RegExp; customVendors: Set<string> } {
  const cached = unknownChipPatterns.get(accelerators);
  if (cached) return cached;
  const vendors = [...new Set([...KNOWN_VENDORS, ...accelerators.map((chip) => chip.vendor)])].map(escape).join('|');
  const customVendors = new Set(accelerators.filter((chip) => chip.kind === 'custom').map((chip) => chip.vendor.toLowerCase()));
  const unknown = new RegExp(
    String.raw`${BEFORE}(?:(?<vendor>${vendors})(?:'s|’s)?\s)?(?<model>${NAME_PREFIX}(?:${FAMILY}|${MODEL})${NAME_SUFFIXES})(?<gpu>\s?(?:GPUs?|chips?|accelerators?))?(?![\p{Script=Latin}\p{N}])`,
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
  const mentions: ChipMention[] = findNames(text, patterns).map(({ start, end, item }) => {
    const after = text.slice(end, end + 40);
    const otherModel = /\p{L}$/u.test(text.slice(start, end)) ? OTHER_MODEL_AFTER.exec(after) : null;
    if (otherModel) {
      const name = text.slice(start, end + otherModel[0].length);
      return { start, end: end + otherModel[0].length, type: 'unknown', accelerator: null, name, kind: item.kind, equivalent: false };
    }
    const form = FORM_AFTER.exec(after)?.[0].length ?? 0;
    return { start, end: end + form, type: 'catalog', accelerator: item, name: item.name, kind: item.kind, equivalent: false };
  });
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
