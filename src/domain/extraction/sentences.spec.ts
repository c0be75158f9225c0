import { describe, expect, it } from 'vitest';
import { detectLanguage } from './language.js';
import { splitSentences } from './sentences.js';

describe('splitSentences', () => {
  it('splits at full stops and line breaks, not inside numbers or after abbreviations, with offsets', () => {
    const text = 'Meta Inc. plans 350.000 units. It paid US$1.5 billion!\nNext line 2.304 unit';
    const sentences = splitSentences(text);
    expect(sentences.map((sentence) => sentence.text)).toEqual([
      'Meta Inc. plans 350.000 units.',
      'It paid US$1.5 billion!',
      'Next line 2.304 unit',
    ]);
    for (const sentence of sentences) expect(text.slice(sentence.start, sentence.end)).toBe(sentence.text);
  });

  it('splits Japanese sentences at 。', () => {
    expect(splitSentences('導入する。予定だ。').map((sentence) => sentence.text)).toEqual(['導入する。', '予定だ。']);
  });
});

describe('detectLanguage', () => {
  it('tells the languages of the sources apart', () => {
    expect(detectLanguage('Meta plans to deploy its custom chip this year.')).toBe('en');
    expect(detectLanguage('Meta berencana untuk menerapkan chip kustom tahun ini.')).toBe('id');
    expect(detectLanguage("Mistral AI va déployer des puces pour la France d'ici 2026.")).toBe('fr');
    expect(detectLanguage('네이버는 H100 GPU 6만5천 장을 확보할 계획이다.')).toBe('ko');
    expect(detectLanguage('ソフトバンクはH100を約1万基導入する計画だ。')).toBe('ja');
    expect(detectLanguage('H100')).toBe('en');
  });
});

describe('splitSentences on a text without full stops', () => {
  it('cuts a part longer than 1,000 characters at a space, keeping the offsets', () => {
    const text = 'Meta bought 10,000 GPUs, '.repeat(100);
    const parts = splitSentences(text);
    expect(parts.map((part) => part.text.length)).toEqual([999, 999, 499]);
    for (const part of parts) expect(text.slice(part.start, part.end)).toBe(part.text);
  });
});
