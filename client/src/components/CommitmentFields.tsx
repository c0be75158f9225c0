import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api';
import { CERTAINTIES, COMMITMENT_STATUSES, QUANTITY_QUALIFIERS } from '../api-types';
import {
  chipValueOfKind,
  type CommitmentDraft,
  draftWarnings,
  type FieldMessages,
  type SourceDraft,
  emptySource,
  primaryAmountOf,
} from '../commitment-draft';
import type { Commitment } from '../api-types';
import { chipName, formatQuantity, formatWindow, humanize } from '../format';
import { FIELD_LABELS } from '../field-labels';
import { Field } from './form';

/** Every field the commitment form shows, by the server's name, so errors without a field here are listed apart. */
export const COMMITMENT_FIELDS = [
  'companyId',
  'acceleratorId',
  'acceleratorKind',
  'quantity',
  'quantityQualifier',
  'statedH100e',
  'statedPowerMw',
  'amountLow',
  'amountHigh',
  'announcedOn',
  'deliveryFrom',
  'deliveryBy',
  'status',
  'certainty',
  'supersedesId',
  'hostCompanyId',
  'partOfId',
  'siteCountry',
  'notes',
];

const SOURCE_FIELDS: { key: keyof SourceDraft; label: string; type?: string }[] = [
  { key: 'url', label: FIELD_LABELS.url, type: 'url' },
  { key: 'title', label: FIELD_LABELS.title },
  { key: 'publisher', label: FIELD_LABELS.publisher },
  { key: 'publishedOn', label: FIELD_LABELS.publishedOn, type: 'date' },
  { key: 'language', label: `${FIELD_LABELS.language} (en, id, …)` },
  { key: 'quote', label: FIELD_LABELS.quote },
];

export function sourceFieldNames(count: number): string[] {
  return Array.from({ length: count }, (_, index) => SOURCE_FIELDS.map((field) => `sources[${index}].${field.key}`)).flat();
}

/** The fields of one commitment, for the create, revise and edit forms. */
export function CommitmentFields({
  draft,
  errors,
  onChange,
}: {
  draft: CommitmentDraft;
  errors: FieldMessages;
  onChange: (draft: CommitmentDraft) => void;
}) {
  const warnings = draftWarnings(draft);
  const companies = useQuery({ queryKey: ['companies'], queryFn: api.companies });
  const chips = useQuery({ queryKey: ['accelerators'], queryFn: api.accelerators });
  const set = <Key extends keyof CommitmentDraft>(key: Key, value: CommitmentDraft[Key]) => onChange({ ...draft, [key]: value });
  // A range is in the unit of the amount it bounds.
  const rangeUnit = primaryAmountOf(draft)?.unit ?? 'unit of the amount';
  const setSource = (index: number, key: keyof SourceDraft, value: string) =>
    set(
      'sources',
      draft.sources.map((source, position) => (position === index ? { ...source, [key]: value } : source)),
    );

  return (
    <>
      <fieldset className="form-grid">
        <legend>Commitment</legend>
        <Field
          label={FIELD_LABELS.companyId}
          field="companyId"
          error={errors.companyId}
          control={(props) => (
            <select {...props} value={draft.companyId} onChange={(event) => set('companyId', event.target.value)}>
              <option value="">Choose…</option>
              {companies.data?.map((company) => (
                <option key={company.id} value={company.id}>
                  {company.name}
                </option>
              ))}
            </select>
          )}
        />
        <Field
          label={FIELD_LABELS.acceleratorId}
          field="acceleratorId"
          error={errors.acceleratorId ?? errors.acceleratorKind}
          control={(props) => (
            <select {...props} value={draft.chip} onChange={(event) => set('chip', event.target.value)}>
              <option value={chipValueOfKind('gpu')}>Unknown GPU</option>
              <option value={chipValueOfKind('custom')}>Unknown custom chip</option>
              {chips.data?.map((chip) => (
                <option key={chip.id} value={chip.id}>
                  {chip.name} ({chip.vendor})
                </option>
              ))}
            </select>
          )}
        />
        <Field
          label={`${FIELD_LABELS.quantity} (units)`}
          field="quantity"
          error={errors.quantity}
          hint="Leave empty when undisclosed"
          control={(props) => (
            <input {...props} inputMode="numeric" value={draft.quantity} onChange={(event) => set('quantity', event.target.value)} />
          )}
        />
        <Field
          label={FIELD_LABELS.quantityQualifier}
          field="quantityQualifier"
          error={errors.quantityQualifier}
          control={(props) => (
            <select
              {...props}
              value={draft.quantityQualifier}
              onChange={(event) => set('quantityQualifier', event.target.value as CommitmentDraft['quantityQualifier'])}
            >
              {QUANTITY_QUALIFIERS.map((qualifier) => (
                <option key={qualifier} value={qualifier}>
                  {humanize(qualifier)}
                </option>
              ))}
            </select>
          )}
        />
        <Field
          label={FIELD_LABELS.statedH100e}
          field="statedH100e"
          error={errors.statedH100e}
          control={(props) => (
            <input {...props} inputMode="decimal" value={draft.statedH100e} onChange={(event) => set('statedH100e', event.target.value)} />
          )}
        />
        <Field
          label={FIELD_LABELS.statedPowerMw}
          field="statedPowerMw"
          error={errors.statedPowerMw}
          control={(props) => (
            <input
              {...props}
              inputMode="decimal"
              value={draft.statedPowerMw}
              onChange={(event) => set('statedPowerMw', event.target.value)}
            />
          )}
        />
        {(['amountLow', 'amountHigh'] as const).map((field) => (
          <Field
            key={field}
            label={`${FIELD_LABELS[field]} (${rangeUnit})`}
            field={field}
            error={errors[field]}
            hint={field === 'amountLow' ? 'The range the source gives, if any ("between 300,000 and 400,000")' : undefined}
            control={(props) => (
              <input {...props} inputMode="decimal" value={draft[field]} onChange={(event) => set(field, event.target.value)} />
            )}
          />
        ))}
        <Field
          label={FIELD_LABELS.announcedOn}
          field="announcedOn"
          error={errors.announcedOn}
          control={(props) => (
            <input {...props} type="date" value={draft.announcedOn} onChange={(event) => set('announcedOn', event.target.value)} />
          )}
        />
        <Field
          label={`${FIELD_LABELS.deliveryFrom} (YYYY-Qn)`}
          field="deliveryFrom"
          error={errors.deliveryFrom}
          hint="Empty: the quarter of the announcement"
          control={(props) => (
            <input
              {...props}
              placeholder="2024-Q1"
              value={draft.deliveryFrom}
              onChange={(event) => set('deliveryFrom', event.target.value.trim())}
            />
          )}
        />
        <Field
          label={`${FIELD_LABELS.deliveryBy} (YYYY-Qn)`}
          field="deliveryBy"
          error={errors.deliveryBy}
          warning={warnings.deliveryBy}
          control={(props) => (
            <input
              {...props}
              placeholder="2024-Q4"
              value={draft.deliveryBy}
              onChange={(event) => set('deliveryBy', event.target.value.trim())}
            />
          )}
        />
        <Field
          label={FIELD_LABELS.status}
          field="status"
          error={errors.status}
          control={(props) => (
            <select {...props} value={draft.status} onChange={(event) => set('status', event.target.value as CommitmentDraft['status'])}>
              {COMMITMENT_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {humanize(status)}
                </option>
              ))}
            </select>
          )}
        />
        <Field
          label={FIELD_LABELS.certainty}
          field="certainty"
          error={errors.certainty}
          control={(props) => (
            <select
              {...props}
              value={draft.certainty}
              onChange={(event) => set('certainty', event.target.value as CommitmentDraft['certainty'])}
            >
              {CERTAINTIES.map((certainty) => (
                <option key={certainty} value={certainty}>
                  {humanize(certainty)}
                </option>
              ))}
            </select>
          )}
        />
        <Field
          // "Hosted by", not "Host company": the company field keeps the only label with that word.
          label="Hosted by"
          field="hostCompanyId"
          error={errors.hostCompanyId}
          hint="The company whose fleet or data centre runs the chips, when it is not the record's own (Google for Anthropic's TPUs)"
          control={(props) => (
            <select {...props} value={draft.hostCompanyId} onChange={(event) => set('hostCompanyId', event.target.value)}>
              <option value="">None: the company runs them</option>
              {companies.data
                ?.filter((company) => company.id !== draft.companyId)
                .map((company) => (
                  <option key={company.id} value={company.id}>
                    {company.name}
                  </option>
                ))}
            </select>
          )}
        />
        <PartOfField value={draft.partOfId} error={errors.partOfId} onChange={(partOfId) => set('partOfId', partOfId)} />
        <Field
          label={`${FIELD_LABELS.siteCountry} (ISO code)`}
          field="siteCountry"
          error={errors.siteCountry}
          hint={countryName(draft.siteCountry) ?? "Where the chips are deployed, such as US or FR; empty: the company's country"}
          control={(props) => (
            <input
              {...props}
              maxLength={2}
              autoCapitalize="characters"
              value={draft.siteCountry}
              onChange={(event) => set('siteCountry', event.target.value.trim().toUpperCase())}
            />
          )}
        />
        <Field
          label={FIELD_LABELS.notes}
          field="notes"
          error={errors.notes}
          control={(props) => <textarea {...props} rows={2} value={draft.notes} onChange={(event) => set('notes', event.target.value)} />}
        />
      </fieldset>
      {draft.sources.map((source, index) => (
        <fieldset className="form-grid" key={index}>
          <legend>Source {index + 1}</legend>
          {SOURCE_FIELDS.map(({ key, label, type }) => (
            <Field
              key={key}
              label={label}
              field={`sources[${index}].${key}`}
              error={errors[`sources[${index}].${key}`]}
              control={(props) =>
                key === 'quote' ? (
                  <textarea {...props} rows={2} value={source[key]} onChange={(event) => setSource(index, key, event.target.value)} />
                ) : (
                  <input
                    {...props}
                    type={type ?? 'text'}
                    value={source[key]}
                    onChange={(event) => setSource(index, key, event.target.value)}
                  />
                )
              }
            />
          ))}
          {draft.sources.length > 1 ? (
            <button
              type="button"
              onClick={() =>
                set(
                  'sources',
                  draft.sources.filter((_, position) => position !== index),
                )
              }
            >
              Remove source {index + 1}
            </button>
          ) : null}
        </fieldset>
      ))}
      {errors.sources ? <p className="field-error">{errors.sources}</p> : null}
      <p>
        <button type="button" onClick={() => set('sources', [...draft.sources, emptySource()])}>
          Add a source
        </button>
      </p>
    </>
  );
}

const regionNames = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'region' }) : null;

/** "France" for FR; nothing while the code is not two letters or not a region the browser knows. */
function countryName(code: string): string | null {
  if (!/^[A-Z]{2}$/.test(code) || !regionNames) return null;
  try {
    const name = regionNames.of(code);
    return name && name !== code ? name : null;
  } catch {
    return null;
  }
}

/** A record in one line: "Google: 100,000 H100 SXM, 2030-Q1 – 2030-Q2, announced 2030-01-15". */
export function recordLine(record: Commitment): string {
  return `${record.company.name}: ${formatQuantity(record)} ${chipName(record)}, ${formatWindow(record.window)}, announced ${record.announcedOn}`;
}

/**
 * The whole this record is a part of: searched by company, chip, key or source, among the records that are not
 * superseded; once chosen, shown in one line with a way to release it.
 */
function PartOfField({ value, error, onChange }: { value: string; error?: string; onChange(value: string): void }) {
  const [search, setSearch] = useState('');
  const chosen = useQuery({ queryKey: ['commitment', value], queryFn: () => api.commitment(value), enabled: value !== '' });
  const query = search.trim();
  const matches = useQuery({
    queryKey: ['commitments', 'part-of', query],
    queryFn: () => api.commitments({ q: query, superseded: false, sort: '-announcedOn', limit: 8 }),
    enabled: value === '' && query.length >= 2,
    placeholderData: keepPreviousData,
  });
  return (
    <Field
      label={FIELD_LABELS.partOfId}
      field="partOfId"
      error={error}
      hint="A tenant's share, a phase or a sub-cluster of a larger record: counted once, not beside it"
      control={(props) =>
        value ? (
          <div className="part-of" data-testid="part-of-chosen">
            <output {...props}>{chosen.data ? recordLine(chosen.data) : 'Reading the record…'}</output>{' '}
            <button type="button" className="link-button" onClick={() => onChange('')}>
              Not a part
            </button>
          </div>
        ) : (
          <div className="part-of">
            <input
              {...props}
              type="search"
              placeholder="Search the whole by company, chip or source"
              value={search}
              onChange={(event) => setSearch(event.target.value)}
            />
            {query.length >= 2 && matches.data ? (
              matches.data.items.length > 0 ? (
                <ul className="part-of-matches" data-testid="part-of-matches">
                  {matches.data.items.map((record) => (
                    <li key={record.id}>
                      <button type="button" className="link-button" onClick={() => onChange(record.id)}>
                        {recordLine(record)}
                      </button>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="muted">No record matches.</p>
              )
            ) : null}
          </div>
        )
      }
    />
  );
}
