import { describe, expect, it } from 'vitest';
import { parseFeed } from './feed-parser.js';

const RSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>Example Wire</title>
    <link>https://wire.example.com/</link>
    <language>en-us</language>
    <item>
      <title>Full story</title>
      <link>https://wire.example.com/full</link>
      <guid isPermaLink="false">wire-1</guid>
      <pubDate>Tue, 04 Mar 2025 09:00:00 GMT</pubDate>
      <description>A short summary.</description>
      <content:encoded><![CDATA[<p>The whole story.</p><p>Its second paragraph.</p>]]></content:encoded>
    </item>
    <item>
      <title>Summary only</title>
      <link>https://wire.example.com/summary</link>
      <description>&lt;p&gt;Only a summary &amp;amp; a link.&lt;/p&gt;</description>
    </item>
    <item><title>No id and no link</title></item>
  </channel>
</rss>`;

const ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Example Atom</title>
  <entry>
    <title>Atom full</title>
    <id>tag:atom.example.com,2025:1</id>
    <link rel="alternate" href="https://atom.example.com/1"/>
    <published>2025-05-06T10:00:00Z</published>
    <content type="html">&lt;p&gt;Atom content.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Atom summary</title>
    <id>tag:atom.example.com,2025:2</id>
    <link href="https://atom.example.com/2"/>
    <updated>2025-05-07T10:00:00Z</updated>
    <summary>Atom summary only.</summary>
  </entry>
</feed>`;

describe('parseFeed', () => {
  it('reads RSS items: guid else link as key, content apart from summary, dates and the language', async () => {
    const feed = await parseFeed(RSS);
    expect(feed.title).toBe('Example Wire');
    expect(feed.language).toBe('en');
    expect(feed.entries).toEqual([
      {
        key: 'wire-1',
        url: 'https://wire.example.com/full',
        title: 'Full story',
        publishedOn: '2025-03-04',
        content: 'The whole story.\n\nIts second paragraph.',
        summary: 'A short summary.',
      },
      {
        key: 'https://wire.example.com/summary',
        url: 'https://wire.example.com/summary',
        title: 'Summary only',
        publishedOn: null,
        content: null,
        summary: 'Only a summary & a link.',
      },
    ]);
  });

  it('reads Atom entries: id as key, content or summary, published else updated', async () => {
    const feed = await parseFeed(ATOM);
    expect(feed.entries).toEqual([
      {
        key: 'tag:atom.example.com,2025:1',
        url: 'https://atom.example.com/1',
        title: 'Atom full',
        publishedOn: '2025-05-06',
        content: 'Atom content.',
        summary: null,
      },
      {
        key: 'tag:atom.example.com,2025:2',
        url: 'https://atom.example.com/2',
        title: 'Atom summary',
        publishedOn: '2025-05-07',
        content: null,
        summary: 'Atom summary only.',
      },
    ]);
  });

  it('refuses a document that is not a feed', async () => {
    await expect(parseFeed('<html><body>not a feed</body></html>')).rejects.toThrow();
  });
});
