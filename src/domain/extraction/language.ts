/** Common words that tell Latin-script languages apart. */
const MARKERS: Record<string, readonly string[]> = {
  en: ['the', 'and', 'of', 'to', 'will', 'with', 'by', 'is', 'its', 'for', 'has', 'said', 'plans', 'about', 'this', 'year'],
  id: [
    'yang',
    'dan',
    'untuk',
    'dengan',
    'akan',
    'dari',
    'ini',
    'pada',
    'tahun',
    'juga',
    'di',
    'ke',
    'sekitar',
    'berencana',
    'tersebut',
    'mereka',
  ],
  fr: ['le', 'la', 'les', 'des', 'et', 'pour', 'avec', 'une', 'du', 'dans', 'sur', 'est', 'qui', 'puces', 'cette', "d'ici"],
  de: ['der', 'die', 'das', 'und', 'mit', 'für', 'von', 'bis', 'ist', 'ein', 'eine', 'wird', 'nicht', 'auch'],
  es: [
    'el',
    'los',
    'las',
    'y',
    'para',
    'con',
    'una',
    'por',
    'del',
    'que',
    'este',
    'año',
    'según',
    'más',
    'será',
    'empresa',
    'hasta',
    'millones',
  ],
  // Languages the extraction does not read, to say so; words shared with the languages above are left out.
  pt: ['os', 'uma', 'com', 'não', 'mais', 'ano', 'até', 'também', 'empresa', 'vai'],
  it: ['il', 'gli', 'della', 'delle', 'che', 'sono', 'nel', 'anno', 'anche', 'entro', 'azienda', 'società', 'milioni', 'miliardi'],
  nl: ['het', 'een', 'voor', 'zijn', 'niet', 'ook', 'jaar', 'wordt', 'bedrijf', 'heeft'],
  tr: ['bir', 'için', 'ile', 'olarak', 'yıl', 'daha', 'milyon', 'adet', 'şirket'],
  vi: ['và', 'của', 'các', 'những', 'cho', 'với', 'được', 'trong', 'năm', 'này'],
};

const count = (pattern: RegExp, text: string) => text.match(pattern)?.length ?? 0;

/** Scripts that tell their language (or only that it is none the extraction reads) without counting words. */
const SCRIPTS: { pattern: RegExp; language: string; name: string }[] = [
  { pattern: /\p{Script=Cyrillic}/gu, language: 'und', name: 'Cyrillic script' },
  { pattern: /\p{Script=Arabic}/gu, language: 'und', name: 'Arabic script' },
  { pattern: /\p{Script=Devanagari}/gu, language: 'und', name: 'Devanagari script' },
  { pattern: /\p{Script=Greek}/gu, language: 'el', name: 'Greek' },
  { pattern: /\p{Script=Hebrew}/gu, language: 'he', name: 'Hebrew' },
  { pattern: /\p{Script=Thai}/gu, language: 'th', name: 'Thai' },
];

/**
 * The language of a text as an ISO 639-1 code: by script for Korean, Japanese, Chinese, Greek, Hebrew and Thai
 * (`und` for scripts several languages share, and for a text with no letters), else by counting common words;
 * English when nothing decides. Deterministic: ties go to the first language listed.
 */
export function detectLanguage(text: string): string {
  const hangul = count(/\p{Script=Hangul}/gu, text);
  const kana = count(/[\p{Script=Hiragana}\p{Script=Katakana}]/gu, text);
  const han = count(/\p{Script=Han}/gu, text);
  const latinWords = text.toLowerCase().match(/[\p{Script=Latin}']+/gu) ?? [];
  // An elided article counts as its word too: "l'azienda" is also "azienda".
  const words = latinWords.flatMap((word) => (word.includes("'") ? [word, word.slice(word.lastIndexOf("'") + 1)] : [word]));
  if (hangul > 0 && hangul >= latinWords.length / 2) return 'ko';
  if (kana > 0 && kana + han >= latinWords.length / 2) return 'ja';
  if (han > 0 && han >= latinWords.length / 2) return 'zh';
  for (const { pattern, language } of SCRIPTS) {
    const letters = count(pattern, text);
    if (letters > 0 && letters >= latinWords.length) return language;
  }
  if (latinWords.length === 0 && !/\p{L}/u.test(text)) return 'und';
  let best = 'en';
  let bestScore = 0;
  for (const [language, markers] of Object.entries(MARKERS)) {
    const set = new Set(markers);
    const score = words.filter((word) => set.has(word)).length;
    if (score > bestScore) {
      best = language;
      bestScore = score;
    }
  }
  return best;
}

/**
 * The languages whose words the rules know (verbs, qualifiers, periods): Malay is read with Indonesian's, which
 * it shares nearly all of.
 */
export const READABLE_LANGUAGES: Readonly<Record<string, string>> = {
  en: 'English',
  id: 'Indonesian',
  ms: 'Malay',
  fr: 'French',
  de: 'German',
  ko: 'Korean',
  ja: 'Japanese',
};

const LANGUAGE_NAMES: Readonly<Record<string, string>> = {
  es: 'Spanish',
  pt: 'Portuguese',
  it: 'Italian',
  nl: 'Dutch',
  tr: 'Turkish',
  vi: 'Vietnamese',
  zh: 'Chinese',
  el: 'Greek',
  he: 'Hebrew',
  th: 'Thai',
};

/** Why a text in `language` is not read, for the analyst; null for a language the extraction reads. */
export function unreadableNotice(language: string, text: string): string | null {
  if (language in READABLE_LANGUAGES) return null;
  const readable = Object.values(READABLE_LANGUAGES);
  const list = `${readable.slice(0, -1).join(', ')} and ${readable.at(-1)}`;
  let what: string;
  if (language === 'und') {
    const script = SCRIPTS.find(({ pattern }) => count(pattern, text) > 0);
    what = script ? `in ${script.name}, in a language it cannot tell` : 'without words it can read';
  } else {
    what = `in ${LANGUAGE_NAMES[language] ?? `the language "${language}"`}`;
  }
  return `The extraction reads ${list}; this text is ${what}, so nothing was extracted. Enter its records by hand.`;
}
