import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, ApiError } from '../api';
import { COMPANY_KINDS, type CompanyKind, type CompanyRecord } from '../api-types';
import { aliasesFromText, aliasesText, Field, OtherErrors } from '../components/form';
import { EmptyState, ErrorMessage, Skeleton } from '../components/states';
import { humanize } from '../format';

interface CompanyDraft {
  name: string;
  aliases: string;
  country: string;
  kind: CompanyKind;
}

const emptyCompany: CompanyDraft = { name: '', aliases: '', country: '', kind: 'other' };
const COMPANY_FIELDS = ['name', 'aliases', 'country', 'kind'];

function validateCompany(draft: CompanyDraft): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!draft.name.trim()) errors.name = 'Enter the company’s name';
  if (draft.country.trim() && !/^[A-Za-z]{2}$/.test(draft.country.trim()))
    errors.country = 'Enter the two-letter country code (ISO 3166), such as US';
  return errors;
}

/** The buyers of compute, with the other names extraction and import match them by. */
export function CompaniesPage() {
  const companies = useQuery({ queryKey: ['companies'], queryFn: api.companies });
  const [editing, setEditing] = useState<CompanyRecord | null>(null);
  return (
    <div className="page">
      <h1>Companies</h1>
      {companies.isError ? (
        <ErrorMessage error={companies.error} onRetry={() => void companies.refetch()} />
      ) : !companies.data ? (
        <Skeleton height={300} label="Loading companies…" />
      ) : companies.data.length === 0 ? (
        <EmptyState title="No companies yet">
          <p>Add the first one below.</p>
        </EmptyState>
      ) : (
        <div className="table-scroll">
          <table className="data-table" data-testid="companies-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Aliases</th>
                <th scope="col">Country</th>
                <th scope="col">Kind</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {companies.data.map((company) => (
                <tr key={company.id}>
                  <th scope="row">{company.name}</th>
                  <td>{aliasesText(company.aliases)}</td>
                  <td>{company.country ?? '—'}</td>
                  <td>{humanize(company.kind)}</td>
                  <td>
                    <button type="button" onClick={() => setEditing(company)} aria-label={`Edit ${company.name}`}>
                      Edit
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing ? (
        <CompanyForm key={editing.id} record={editing} onDone={() => setEditing(null)} />
      ) : (
        <CompanyForm key="new" onDone={() => undefined} />
      )}
    </div>
  );
}

function CompanyForm({ record, onDone }: { record?: CompanyRecord; onDone: () => void }) {
  const initial = record
    ? { name: record.name, aliases: aliasesText(record.aliases), country: record.country ?? '', kind: record.kind }
    : emptyCompany;
  const [draft, setDraft] = useState<CompanyDraft>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const set = (key: keyof CompanyDraft, value: string) => setDraft((current) => ({ ...current, [key]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validateCompany(draft);
    setErrors(found);
    setFailure(null);
    setMessage(null);
    if (Object.keys(found).length > 0) return;
    const body = {
      name: draft.name.trim(),
      aliases: aliasesFromText(draft.aliases),
      country: draft.country.trim() ? draft.country.trim().toUpperCase() : null,
      kind: draft.kind,
    };
    try {
      const saved = record ? await api.updateCompany(record.id, { ...body, version: record.version }) : await api.createCompany(body);
      await queryClient.invalidateQueries();
      setMessage(`Saved ${saved.name}.`);
      if (record) onDone();
      else setDraft(emptyCompany);
    } catch (error) {
      if (error instanceof ApiError) setErrors(error.fieldErrors);
      setFailure(error);
    }
  };

  return (
    <form className="record-form" noValidate onSubmit={submit} aria-label={record ? `Edit ${record.name}` : 'Add a company'}>
      <h2>{record ? `Edit ${record.name}` : 'Add a company'}</h2>
      <div className="form-grid">
        <Field
          label="Name"
          field="name"
          error={errors.name}
          control={(props) => <input {...props} value={draft.name} onChange={(event) => set('name', event.target.value)} />}
        />
        <Field
          label="Aliases (comma-separated)"
          field="aliases"
          error={errors.aliases}
          control={(props) => <input {...props} value={draft.aliases} onChange={(event) => set('aliases', event.target.value)} />}
        />
        <Field
          label="Country (ISO code)"
          field="country"
          error={errors.country}
          control={(props) => (
            <input {...props} maxLength={2} value={draft.country} onChange={(event) => set('country', event.target.value)} />
          )}
        />
        <Field
          label="Kind"
          field="kind"
          error={errors.kind}
          control={(props) => (
            <select {...props} value={draft.kind} onChange={(event) => set('kind', event.target.value)}>
              {COMPANY_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {humanize(kind)}
                </option>
              ))}
            </select>
          )}
        />
      </div>
      <OtherErrors errors={errors} shown={COMPANY_FIELDS} />
      {failure ? <ErrorMessage error={failure} /> : null}
      {message ? <p role="status">{message}</p> : null}
      <p className="form-actions">
        <button type="submit" className="primary">
          {record ? 'Save company' : 'Add company'}
        </button>
        {record ? (
          <button type="button" onClick={onDone}>
            Cancel
          </button>
        ) : null}
      </p>
    </form>
  );
}
