import { describe, expect, it } from 'vitest';
import { htmlToText, isoDate, primaryLanguage, readArticle } from './article-reader.js';

const PAGE = `<!doctype html>
<html lang="en-GB">
<head>
  <title>Northwind orders chips | Example Wire</title>
  <meta property="og:title" content="Northwind orders 20,000 H100 GPUs">
  <meta property="article:published_time" content="2025-03-04T08:30:00+01:00">
  <meta property="og:site_name" content="Example Wire">
</head>
<body>
  <nav><a href="/">Home</a> <a href="/tech">Technology</a> <a href="/markets">Markets</a></nav>
  <article>
    <h1>Northwind orders 20,000 H100 GPUs</h1>
    <p>Northwind said on Tuesday that it has ordered 20,000 Nvidia H100 GPUs for its new data centre, to be delivered by the end of 2025.</p>
    <p>The company did not disclose the price of the order. Analysts expect more orders of this kind across the industry this year, as demand for training capacity keeps growing.</p>
    <script>track('page')</script>
  </article>
  <footer>Copyright Example Wire. All rights reserved.</footer>
</body>
</html>`;

describe('readArticle', () => {
  it('reads the main text of a page with its language, title and date, without its navigation or scripts', () => {
    const article = readArticle(PAGE);
    expect(article).toMatchObject({
      title: 'Northwind orders 20,000 H100 GPUs',
      language: 'en',
      publishedOn: '2025-03-04',
      siteName: 'Example Wire',
    });
    expect(article?.text).toContain(
      'Northwind said on Tuesday that it has ordered 20,000 Nvidia H100 GPUs for its new data centre, to be delivered by the end of 2025.',
    );
    expect(article?.text).not.toContain('Markets');
    expect(article?.text).not.toContain('track(');
    // The two paragraphs stay apart.
    expect(article?.text).toMatch(/end of 2025\.\n\nThe company/);
  });

  it('gives null for a page with no article', () => {
    expect(readArticle('<html><body></body></html>')).toBeNull();
  });
});

describe('htmlToText', () => {
  it('keeps paragraphs apart and decodes entities', () => {
    expect(htmlToText('<p>First &amp; one.</p><p>Second<br>line</p>')).toBe('First & one.\n\nSecond\nline');
  });
});

describe('primaryLanguage and isoDate', () => {
  it('read tags and dates as pages write them', () => {
    expect(primaryLanguage('id-ID')).toBe('id');
    expect(primaryLanguage('EN')).toBe('en');
    expect(primaryLanguage('not a tag!')).toBeNull();
    expect(isoDate('2024-02-28T23:30:00-05:00')).toBe('2024-02-28');
    expect(isoDate('Wed, 28 Feb 2024 10:00:00 GMT')).toBe('2024-02-28');
    expect(isoDate('soon')).toBeNull();
  });
});
