import http from 'node:http';
import https from 'node:https';

/** A delivery's whole exchange (connect, send, answer) must end within this long. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** Of the receiver's answer, this much is kept for the deliveries log. */
const KEPT_ANSWER_BYTES = 500;

export interface PostOutcome {
  status: number;
  /** The start of the answer's body, for the log. */
  answer: string;
}

/**
 * POSTs a delivery's body to the webhook's URL: no redirects followed (a 3xx is an answer like any other), the answer
 * read up to a few hundred bytes, the whole exchange cut off after DELIVERY_TIMEOUT_MS. Throws only when no answer
 * came (refused, unreachable, timed out).
 */
export function postDelivery(url: string, body: string, headers: Record<string, string>): Promise<PostOutcome> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise<PostOutcome>((resolve, reject) => {
    const request = client.request(
      target,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'ComputeLedger-Webhooks/1',
        },
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        response.on('data', (chunk: Buffer) => {
          if (kept < KEPT_ANSWER_BYTES) chunks.push(chunk);
          kept += chunk.length;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, answer: Buffer.concat(chunks).toString('utf8').slice(0, KEPT_ANSWER_BYTES) }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
