import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** A route of the feed server: its body and headers, or a handler of its own. */
export type FeedRoute =
  | { body: string; contentType?: string; etag?: string; lastModified?: string; status?: number }
  | { redirect: string }
  | ((request: IncomingMessage, response: ServerResponse) => void);

/**
 * A local HTTP server for feeds and article pages, on 127.0.0.1 (so the apps that read it need
 * FEED_ALLOW_PRIVATE_ADDRESSES=true). Routes can change between polls; every request is logged.
 */
export class FeedServer {
  readonly routes = new Map<string, FeedRoute>();
  /** Each request as it came: path and the conditional headers it sent. */
  readonly requests: { path: string; ifNoneMatch?: string; ifModifiedSince?: string }[] = [];
  private server: Server | null = null;
  baseUrl = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => this.answer(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  requestsTo(path: string) {
    return this.requests.filter((request) => request.path === path);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    const path = (request.url ?? '/').split('?')[0];
    this.requests.push({
      path,
      ifNoneMatch: request.headers['if-none-match'],
      ifModifiedSince: request.headers['if-modified-since'],
    });
    const route = this.routes.get(path);
    if (!route) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (typeof route === 'function') return route(request, response);
    if ('redirect' in route) {
      response.writeHead(302, { location: route.redirect }).end();
      return;
    }
    if (route.etag && request.headers['if-none-match'] === route.etag) {
      response.writeHead(304, { etag: route.etag }).end();
      return;
    }
    if (route.lastModified && !route.etag && request.headers['if-modified-since'] === route.lastModified) {
      response.writeHead(304, { 'last-modified': route.lastModified }).end();
      return;
    }
    response
      .writeHead(route.status ?? 200, {
        'content-type': route.contentType ?? 'application/rss+xml; charset=utf-8',
        ...(route.etag ? { etag: route.etag } : {}),
        ...(route.lastModified ? { 'last-modified': route.lastModified } : {}),
      })
      .end(route.body);
  }
}

export interface RssItem {
  title: string;
  link: string;
  guid?: string;
  pubDate: string;
  description?: string;
  content?: string;
}

export function rssFeed(title: string, items: RssItem[], language = 'en'): string {
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>${escape(title)}</title><link>https://example.com/</link><language>${language}</language>
${items
  .map(
    (item) => `<item><title>${escape(item.title)}</title><link>${escape(item.link)}</link>
${item.guid ? `<guid isPermaLink="false">${escape(item.guid)}</guid>` : ''}<pubDate>${item.pubDate}</pubDate>
${item.description ? `<description>${escape(item.description)}</description>` : ''}
${item.content ? `<content:encoded><![CDATA[${item.content}]]></content:encoded>` : ''}</item>`,
  )
  .join('\n')}
</channel></rss>`;
}

export interface AtomEntry {
  title: string;
  id: string;
  link: string;
  published: string;
  summary?: string;
  content?: string;
}

export function atomFeed(title: string, entries: AtomEntry[]): string {
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>${escape(title)}</title><id>urn:test:${escape(title)}</id>
${entries
  .map(
    (entry) => `<entry><title>${escape(entry.title)}</title><id>${escape(entry.id)}</id>
<link rel="alternate" href="${escape(entry.link)}"/><published>${entry.published}</published><updated>${entry.published}</updated>
${entry.summary ? `<summary>${escape(entry.summary)}</summary>` : ''}${entry.content ? `<content type="html">${escape(entry.content)}</content>` : ''}</entry>`,
  )
  .join('\n')}
</feed>`;
}

/** An article page as news sites write them: navigation, the article, a footer; its language and date in its head. */
export function articlePage(options: { title: string; language: string; published: string; paragraphs: string[] }): string {
  return `<!doctype html>
<html lang="${options.language}"><head><meta charset="utf-8"><title>${options.title} | Test Wire</title>
<meta property="og:title" content="${options.title}">
<meta property="article:published_time" content="${options.published}">
</head><body>
<nav><a href="/">Home</a> <a href="/tech">Technology</a> <a href="/markets">Markets</a> <a href="/about">About us</a></nav>
<article><h1>${options.title}</h1>
${options.paragraphs.map((paragraph) => `<p>${paragraph}</p>`).join('\n')}
</article>
<footer>Test Wire. All rights reserved.</footer>
</body></html>`;
}
