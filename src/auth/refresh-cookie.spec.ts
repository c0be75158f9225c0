import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { assertSameOrigin, readRefreshCookie } from './refresh-cookie.js';

/** The parts of an Express request the checks read. */
function request(headers: Record<string, string>, protocol = 'https', host = 'ledger.example.com'): Request {
  const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return { headers: lower, protocol, header: (name: string) => lower[name.toLowerCase()], get: () => host } as unknown as Request;
}

describe('the refresh route’s origin check', () => {
  it('answers the page’s own origin and callers that are not browsers', () => {
    const answered: Record<string, string>[] = [
      { 'Sec-Fetch-Site': 'same-origin' },
      { 'Sec-Fetch-Site': 'same-origin', Origin: 'https://ledger.example.com' },
      { Origin: 'https://ledger.example.com' },
      {},
    ];
    for (const headers of answered) {
      expect(() => assertSameOrigin(request(headers))).not.toThrow();
    }
  });

  it('refuses other sites, sibling subdomains and another scheme or port', () => {
    const refused: Record<string, string>[] = [
      { 'Sec-Fetch-Site': 'cross-site' },
      { 'Sec-Fetch-Site': 'same-site' },
      { 'Sec-Fetch-Site': 'none' },
      { Origin: 'https://reports.example.com' },
      { Origin: 'http://ledger.example.com' },
      { Origin: 'https://ledger.example.com:8443' },
      { Origin: 'null' },
    ];
    for (const headers of refused) {
      expect(() => assertSameOrigin(request(headers))).toThrow('A session is refreshed only from the web client’s own pages');
    }
  });
});

describe('readRefreshCookie', () => {
  it('finds the refresh cookie among others, and nothing without it', () => {
    expect(readRefreshCookie(request({ Cookie: 'theme=dark; ledger_refresh=abc.def; other=1' }))).toBe('abc.def');
    expect(readRefreshCookie(request({ Cookie: 'theme=dark' }))).toBeUndefined();
    expect(readRefreshCookie(request({}))).toBeUndefined();
  });
});
