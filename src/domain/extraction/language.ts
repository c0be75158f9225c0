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
  es: ['el', 'los', 'las', 'y', 'para', 'con', 'una', 'por', 'del', 'que', 'este', 'año'],
};

/**
 * The language of a text as an ISO 639-1 code: by script for Korean, Japanese and Chinese, else by counting
 * common words; English when nothing decides. Deterministic: ties go to the first language listed.
 */
export function detectLanguage(text: string): string {
  const count = (pattern: RegExp) => text.match(pattern)?.length ?? 0;
  const hangul = count(/\p{Script=Hangul}/gu);
  const kana = count(/[\p{Script=Hiragana}\p{Script=Katakana}]/gu);
  const han = count(/\p{Script=Han}/gu);
  const latinWords = text.toLowerCase().match(/[\p{Script=Latin}']+/gu) ?? [];
  if (hangul > 0 && hangul >= latinWords.length / 2) return 'ko';
  if (kana > 0 && kana + han >= latinWords.length / 2) return 'ja';
  if (han > 0 && han >= latinWords.length / 2) return 'zh';
  let best = 'en';
  let bestScore = 0;
  for (const [language, markers] of Object.entries(MARKERS)) {
    const set = new Set(markers);
    const score = latinWords.filter((word) => set.has(word)).length;
    if (score > bestScore) {
      best = language;
      bestScore = score;
    }
  }
  return best;
}
