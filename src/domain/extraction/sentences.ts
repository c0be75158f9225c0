import type { Span } from './types.js';

/** Words whose full stop does not end a sentence. */
const ABBREVIATIONS =
  /(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Inc|Corp|Co|Ltd|Jr|Sr|St|No|vs|approx|est|e\.g|i\.e|U\.S|U\.K|etc|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Tbk|PT)|\b[A-Z])$/;

/** Longer "sentences" (lists, tables, text without full stops) are cut at a space, so that each part stays cheap to read. */
export const MAX_SENTENCE_LENGTH = 1000;

function chunks(sentence: Span): Span[] {
  const parts: Span[] = [];
  let { text, start } = sentence;
  while (text.length > MAX_SENTENCE_LENGTH) {
    const space = text.lastIndexOf(' ', MAX_SENTENCE_LENGTH);
    const cut = space > 0 ? space : MAX_SENTENCE_LENGTH;
    const head = text.slice(0, cut).trimEnd();
    if (head.length > 0) parts.push({ text: head, start, end: start + head.length });
    const rest = text.slice(cut);
    const skipped = rest.length - rest.trimStart().length;
    start += cut + skipped;
    text = rest.trimStart();
  }
  if (text.length > 0) parts.push({ text, start, end: start + text.length });
  return parts;
}

/**
 * Splits a text into sentences with their offsets. A sentence ends at a line break, or at . ! ? (and their
 * full-width forms) followed by a space — not inside a number ("350.000", "1.5") nor after an abbreviation.
 */
export function splitSentences(text: string): Span[] {
  const sentences: Span[] = [];
  let start = 0;
  const push = (end: number) => {
    const raw = text.slice(start, end);
    const leading = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    if (trimmed.length > 0) sentences.push(...chunks({ text: trimmed, start: start + leading, end: start + leading + trimmed.length }));
  };
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '\n') {
      push(index);
      start = index + 1;
    } else if ('。！？'.includes(char)) {
      push(index + 1);
      start = index + 1;
    } else if ('.!?'.includes(char)) {
      const next = text[index + 1];
      if (next !== undefined && !/\s/.test(next)) continue;
      if (char === '.' && ABBREVIATIONS.test(text.slice(Math.max(0, index - 6), index))) continue;
      push(index + 1);
      start = index + 1;
    }
  }
  push(text.length);
  return sentences;
}
