import { describe, expect, it } from 'vitest';
import { detectLanguage, READABLE_LANGUAGES, unreadableNotice } from './language.js';

describe('detectLanguage for languages the extraction does not read', () => {
  it('tells Spanish, Portuguese, Italian, Dutch and Chinese from the languages it reads', () => {
    expect(detectLanguage('Meta comprará 10.000 GPU H100 para finales de 2025, según la empresa.')).toBe('es');
    expect(detectLanguage('A empresa vai comprar 20 mil GPUs H100 até o fim de 2025.')).toBe('pt');
    expect(detectLanguage("L'azienda acquisterà 5.000 GPU H100 entro la fine del 2025.")).toBe('it');
    expect(detectLanguage('Het bedrijf heeft 5.000 GPUs gekocht voor dit jaar.')).toBe('nl');
    expect(detectLanguage('微软计划在2025年底前部署10万个GPU。')).toBe('zh');
  });

  it('names Greek, Hebrew and Thai by their script, and answers und for scripts several languages share or no letters', () => {
    expect(detectLanguage('Η εταιρεία θα αγοράσει 10.000 GPU.')).toBe('el');
    expect(detectLanguage('החברה תקנה 10,000 מעבדים.')).toBe('he');
    expect(detectLanguage('บริษัทจะซื้อ GPU 10,000 ตัว')).toBe('th');
    expect(detectLanguage('Компания Meta купит 10 000 GPU H100 в 2025 году.')).toBe('und');
    expect(detectLanguage('سوف تشتري الشركة 10000 وحدة')).toBe('und');
    expect(detectLanguage('12,000 / 2025 — 3.5')).toBe('und');
  });

  it('still reads short English and German sentences as such', () => {
    expect(detectLanguage('Meta bought 10,000 H100 GPUs.')).toBe('en');
    expect(detectLanguage('Die Telekom wird bis Ende 2026 rund 10.000 GPUs installieren.')).toBe('de');
  });
});

describe('unreadableNotice', () => {
  it('says nothing for a language the extraction reads', () => {
    for (const language of Object.keys(READABLE_LANGUAGES)) expect(unreadableNotice(language, 'text')).toBeNull();
  });

  it('names the language it cannot read, or the script where it cannot tell the language, and what it reads', () => {
    expect(unreadableNotice('es', 'Meta comprará')).toBe(
      'The extraction reads English, Indonesian, Malay, French, German, Korean and Japanese; this text is in Spanish, so nothing was extracted. Enter its records by hand.',
    );
    expect(unreadableNotice('und', 'Компания купит')).toContain('this text is in Cyrillic script, in a language it cannot tell');
    expect(unreadableNotice('und', '12,000')).toContain('this text is without words it can read');
    expect(unreadableNotice('sw', 'Kampuni itanunua')).toContain('this text is in the language "sw"');
  });
});
