/**
 * Reads for a company's page, typed by the server's own declarations: the company, and every one of its records
 * (the list's pages read one after another).
 */
import { api, request } from './api';
import type { Commitment, CompanyRecord } from './api-types';

/** The most records the list gives in one page. */
const PAGE = 500;
/** The records another company runs on this one's chips that its page lists. */
const HOSTED_SHOWN = 50;

export const companyApi = {
  company: (id: string) => request<CompanyRecord>(`/companies/${encodeURIComponent(id)}`),
  /** The company's live records, superseded ones included, oldest announcement first. */
  records: async (companyId: string): Promise<Commitment[]> => {
    const records: Commitment[] = [];
    for (let page = 1; ; page += 1) {
      const answer = await api.commitments({ companyId: [companyId], sort: 'announcedOn', page, limit: PAGE });
      records.push(...answer.items);
      if (answer.items.length < PAGE || records.length >= answer.total) return records;
    }
  },
  /** The first page of other companies' current records that run on this company's chips, newest first. */
  hosted: (hostCompanyId: string) =>
    api.commitments({ hostCompanyId: [hostCompanyId], superseded: false, sort: '-announcedOn', page: 1, limit: HOSTED_SHOWN }),
};
