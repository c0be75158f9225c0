import Parser from 'rss-parser';
import { htmlToText, isoDate, primaryLanguage } from './article-reader.js';

/** One item of a feed, as the inbox reads it, whatever the format. */
export interface FeedEntry {
  /** The guid (RSS) or id (Atom), else the link: what makes the item seen once. */
  key: string;
  url: string | null;
  title: string | null;
  publishedOn: string | null;
  /** The item's full content as text, where the feed carries it (RSS content:encoded, Atom content). */
  content: string | null;
  /** Its summary as text (RSS description, Atom summary). */
  summary: string | null;
}

export interface ParsedFeed {
  title: string | null;
  language: string | null;
  entries: FeedEntry[];
}

type RawItem = Parser.Item & { id?: string; 'content:encoded'?: string; language?: string };

const parser = new Parser<{ language?: string }, RawItem>();

/** Parses an RSS (0.9x–2.0, RDF) or Atom document; items with neither an id nor a link are left out. */
export async function parseFeed(xml: string): Promise<ParsedFeed> {
  const feed = await parser.parseString(xml);
  const entries = feed.items.flatMap((item): FeedEntry[] => {
    const url = item.link?.trim() || null;
    const key = (item.guid ?? item.id)?.toString().trim() || url;
    if (!key) return [];
    // rss-parser gives an RSS description as `content` and an Atom summary as `summary`; Atom items have an id.
    const atom = item.id !== undefined && item['content:encoded'] === undefined;
    const full = item['content:encoded'] ?? (atom ? item.content : undefined);
    const summary = atom ? item.summary : item.content;
    return [
      {
        key,
        url,
        title: item.title?.trim() || null,
        publishedOn: isoDate(item.isoDate ?? item.pubDate),
        content: full ? htmlToText(full) || null : null,
        summary: summary ? htmlToText(summary) || null : null,
      },
    ];
  });
  return { title: feed.title?.trim() || null, language: primaryLanguage(feed.language), entries };
}
