import { TEST_ADMIN } from '../../support/test-app.js';
import { timedFetch } from './workload.js';

/** Just enough of the API to drive a workload: ids to write against and a commitment body. */
export class LedgerClient {
  constructor(
    readonly baseUrl: string,
    readonly headers: Record<string, string> = {},
  ) {}

  /** A client signed in as the first admin, which the suite's servers are started with. */
  static async signIn(baseUrl: string): Promise<LedgerClient> {
    const response = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(TEST_ADMIN),
    });
    if (response.status !== 200) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
    const { accessToken } = (await response.json()) as { accessToken: string };
    return new LedgerClient(baseUrl, { authorization: `Bearer ${accessToken}` });
  }

  request(method: string, path: string, json?: unknown) {
    return timedFetch(`${this.baseUrl}${path}`, {
      method,
      headers: { ...this.headers, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
  }

  async companyId(name: string): Promise<string> {
    const created = await this.request('POST', '/api/companies', { name, kind: 'ai_lab' });
    if (created.status !== 201) throw new Error(`company not created: ${created.status} ${JSON.stringify(created.body)}`);
    return (created.body as { id: string }).id;
  }

  async chipId(name: string): Promise<string> {
    const chips = (await this.request('GET', '/api/accelerators')).body as { id: string; name: string }[];
    const chip = chips.find((candidate) => candidate.name === name);
    if (!chip) throw new Error(`chip ${name} not in the catalog`);
    return chip.id;
  }
}

export function commitmentBody(companyId: string, acceleratorId: string, key: string, quantity: number) {
  return {
    key,
    companyId,
    acceleratorId,
    quantity,
    announcedOn: '2025-05-01',
    deliveryBy: '2025-Q4',
    status: 'announced',
    sources: [{ title: `Load test record ${key}`, publisher: 'Resilience suite' }],
  };
}
