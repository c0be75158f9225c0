import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { addressRefusal } from './address-policy.js';

/** The limits of every fetch the inbox makes (a feed, an article page). */
export interface FetchLimits {
  /** Loopback and private addresses are reached only when true (FEED_ALLOW_PRIVATE_ADDRESSES). */
  allowPrivateAddresses: boolean;
  maxBytes: number;
  timeoutMs: number;
  maxRedirects: number;
}

export const DEFAULT_FETCH_LIMITS: Omit<FetchLimits, 'allowPrivateAddresses'> = {
  maxBytes: 2 * 1024 * 1024,
  timeoutMs: 10_000,
  maxRedirects: 3,
};

export interface FetchedBody {
  /** The URL that answered, after redirects. */
  url: string;
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A fetch the inbox refused or could not complete; its message is what the feed or item shows as its error. */
export class FetchError extends Error {}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const USER_AGENT = 'ComputeLedger-Inbox/1 (+feeds and article pages)';

/**
 * GETs a URL under the inbox's rules: http and https only; the host is resolved and every address it resolves to
 * must be public unless private ones are allowed — checked on the connection itself (so a name cannot resolve to a
 * public address for the check and a private one for the request) and again at each redirect, of which at most
 * `maxRedirects` are followed; the body is cut off past `maxBytes` and the whole exchange past `timeoutMs`.
 * Answers of any status are returned (the caller reads 304 and 4xx); only a refusal or a network failure throws.
 */
export async function safeFetch(url: string, limits: FetchLimits, headers: Record<string, string> = {}): Promise<FetchedBody> {
  const deadline = AbortSignal.timeout(limits.timeoutMs);
  let current = url;
  for (let redirects = 0; ; redirects++) {
    const answer = await fetchOnce(current, limits, headers, deadline);
    const location = answer.headers.location;
    if (!REDIRECTS.has(answer.status) || !location) return answer;
    if (redirects >= limits.maxRedirects) throw new FetchError(`${url}: more than ${limits.maxRedirects} redirects`);
    current = new URL(location, current).toString();
  }
}

/** Refuses a URL the inbox never fetches, before any request: another scheme, or an address literal it may not reach. */
export function urlRefusal(url: string, allowPrivateAddresses: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${url} is not a URL`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `${url}: only http and https URLs are fetched`;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivateAddresses && isIP(host)) {
    const refusal = addressRefusal(host);
    if (refusal) return `${url}: ${refusal} (set FEED_ALLOW_PRIVATE_ADDRESSES=true to allow it)`;
  }
  return null;
}

/** Resolves a host name and refuses it when any address it has is one the inbox may not reach. */
export async function hostRefusal(url: string, allowPrivateAddresses: boolean): Promise<string | null> {
  const refused = urlRefusal(url, allowPrivateAddresses);
  if (refused || allowPrivateAddresses) return refused;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return null;
  try {
    const addresses = await new Promise<LookupAddress[]>((resolve, reject) =>
      dnsLookup(host, { all: true }, (error, found) => (error ? reject(error) : resolve(found))),
    );
    const refusal = addresses.map(({ address }) => addressRefusal(address)).find((reason) => reason !== null);
    return refusal ? `${url}: ${host} resolves to ${refusal} (set FEED_ALLOW_PRIVATE_ADDRESSES=true to allow it)` : null;
  } catch (error) {
    return `${url}: ${host} cannot be resolved (${(error as Error).message})`;
  }
}

/** A DNS lookup that fails for a host with any address the inbox may not reach. */
function guardedLookup(url: string): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const refusal = addresses.map(({ address }) => addressRefusal(address)).find((reason) => reason !== null);
      if (refusal) {
        return callback(
          new FetchError(`${url}: ${hostname} resolves to ${refusal} (set FEED_ALLOW_PRIVATE_ADDRESSES=true to allow it)`),
          '',
          0,
        );
      }
      if (options.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

function fetchOnce(url: string, limits: FetchLimits, headers: Record<string, string>, deadline: AbortSignal): Promise<FetchedBody> {
  const refusal = urlRefusal(url, limits.allowPrivateAddresses);
  if (refusal) return Promise.reject(new FetchError(refusal));
  const parsed = new URL(url);
  const client = parsed.protocol === 'https:' ? https : http;
  return new Promise<FetchedBody>((resolve, reject) => {
    const fail = (error: Error) =>
      reject(
        error instanceof FetchError
          ? error
          : deadline.aborted
            ? new FetchError(`${url}: no complete answer within ${limits.timeoutMs / 1000} s`)
            : new FetchError(`${url}: ${error.message}`),
      );
    const request = client.get(
      parsed,
      {
        headers: { 'user-agent': USER_AGENT, accept: '*/*', ...headers },
        signal: deadline,
        ...(limits.allowPrivateAddresses ? {} : { lookup: guardedLookup(url) }),
      },
      (response) => {
        const declared = Number(response.headers['content-length']);
        if (Number.isFinite(declared) && declared > limits.maxBytes) {
          response.destroy();
          return reject(new FetchError(`${url}: the answer is over the ${limits.maxBytes} byte limit`));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > limits.maxBytes) {
            response.destroy();
            request.destroy();
            return reject(new FetchError(`${url}: the answer is over the ${limits.maxBytes} byte limit`));
          }
          chunks.push(chunk);
        });
        response.on('end', () =>
          resolve({ url, status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
        );
        response.on('error', fail);
      },
    );
    request.on('error', fail);
  });
}

/** The body as text, in the charset its Content-Type names (else a `<meta charset>` near its start, else UTF-8). */
export function bodyText(fetched: FetchedBody): string {
  const declared = /charset=["']?([\w-]+)/i.exec(String(fetched.headers['content-type'] ?? ''))?.[1];
  const sniffed = /<meta[^>]+charset=["']?([\w-]+)/i.exec(fetched.body.subarray(0, 2048).toString('latin1'))?.[1];
  for (const charset of [declared, sniffed, 'utf-8']) {
    if (!charset) continue;
    try {
      return new TextDecoder(charset).decode(fetched.body);
    } catch {
      // an unknown charset name: try the next
    }
  }
  return fetched.body.toString('utf8');
}
