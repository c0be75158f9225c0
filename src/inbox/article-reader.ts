import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';

/** What the inbox reads from a linked page: its main article, as plain text, with the page's own facts. */
export interface Article {
  title: string | null;
  text: string;
  /** The page's language (primary subtag, lower case: `en`, `id`), where it declares one. */
  language: string | null;
  /** The page's publication date, `YYYY-MM-DD`, where it states one. */
  publishedOn: string | null;
  siteName: string | null;
}

/** Elements after which the text takes a paragraph break, so sentences of two paragraphs never run together. */
const BLOCKS = new Set([
  'P',
  'DIV',
  'LI',
  'UL',
  'OL',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'BLOCKQUOTE',
  'TR',
  'TABLE',
  'SECTION',
  'ARTICLE',
  'HEADER',
  'FOOTER',
  'FIGURE',
  'FIGCAPTION',
  'PRE',
  'DD',
  'DT',
]);
const SKIPPED = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG']);

/** The little of the DOM read here (the server is compiled without the DOM's types). */
interface TextNode {
  nodeType: number;
  textContent: string | null;
  tagName?: string;
  childNodes: ArrayLike<TextNode>;
}
interface MetaDocument {
  querySelector(selector: string): { getAttribute(name: string): string | null } | null;
}

/** Plain text of an HTML fragment (a feed's content): paragraphs apart, spaces collapsed, entities decoded. */
export function htmlToText(html: string): string {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  return textOf(document.body as unknown as TextNode);
}

/**
 * The main article of a page (Mozilla Readability over a linkedom document), or null when the page has none that
 * Readability can find. Its title, language and date come from the page's metadata where it has them.
 */
export function readArticle(html: string): Article | null {
  const { document } = parseHTML(html);
  const declaredLanguage = document.documentElement?.getAttribute('lang') ?? null;
  const metaDate = publishedDateOf(document as unknown as MetaDocument);
  let parsed;
  try {
    // Readability changes the document it reads; the facts above are taken first.
    parsed = new Readability(document as never, { charThreshold: 200 }).parse();
  } catch {
    return null;
  }
  if (!parsed?.content) return null;
  const text = htmlToText(parsed.content);
  if (!text.trim()) return null;
  return {
    title: parsed.title?.trim() || null,
    text,
    language: primaryLanguage(parsed.lang ?? declaredLanguage),
    publishedOn: isoDate(parsed.publishedTime) ?? metaDate,
    siteName: parsed.siteName?.trim() || null,
  };
}

/** `en-GB` → `en`; anything that is not a language tag → null. */
export function primaryLanguage(tag: string | null | undefined): string | null {
  const match = /^([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*$/i.exec(tag?.trim() ?? '');
  return match ? match[1].toLowerCase() : null;
}

/** `YYYY-MM-DD` of a date or date-time string (as written, before any time zone), or null. */
export function isoDate(value: string | null | undefined): string | null {
  if (!value) return null;
  const written = /^(\d{4}-\d{2}-\d{2})/.exec(value.trim())?.[1];
  if (written && !Number.isNaN(Date.parse(written))) return written;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? null : new Date(parsed).toISOString().slice(0, 10);
}

const DATE_METAS = ['article:published_time', 'og:published_time', 'datePublished', 'date', 'dc.date', 'DC.date.issued'];

function publishedDateOf(document: MetaDocument): string | null {
  for (const name of DATE_METAS) {
    const meta = document.querySelector(`meta[property="${name}"], meta[name="${name}"], meta[itemprop="${name}"]`);
    const date = isoDate(meta?.getAttribute('content'));
    if (date) return date;
  }
  const time = document.querySelector('time[datetime]');
  return isoDate(time?.getAttribute('datetime'));
}

function textOf(root: TextNode): string {
  const parts: string[] = [];
  const walk = (node: TextNode) => {
    if (node.nodeType === 3) {
      parts.push(node.textContent ?? '');
      return;
    }
    if (node.nodeType !== 1) return;
    const name = (node.tagName ?? '').toUpperCase();
    if (SKIPPED.has(name)) return;
    if (name === 'BR') {
      parts.push('\n');
      return;
    }
    const block = BLOCKS.has(name);
    if (block) parts.push('\n\n');
    for (const child of Array.from(node.childNodes)) walk(child);
    if (block) parts.push('\n\n');
  };
  walk(root);
  return parts
    .join('')
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
