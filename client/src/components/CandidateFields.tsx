import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { api, ApiError } from '../api';
import {
  type Accelerator,
  ACCELERATOR_KINDS,
  type AcceleratorKind,
  type Candidate,
  CERTAINTIES,
  type CompanySummary,
  COMMITMENT_STATUSES,
  QUANTITY_QUALIFIERS,
} from '../api-types';
import { chipValueOfKind, type CommitmentDraft, draftWarnings, emptyDraft, type FieldMessages } from '../commitment-draft';
import { humanize } from '../format';
import { Field, OtherErrors } from './form';

/** One suggested record as the analyst reviews it (on the entry page and in the inbox). */
export interface Suggestion {
  label: number;
  accepted: boolean;
  draft: CommitmentDraft;
  /** Names the catalog lacks, as the text wrote them, until the analyst adds them or chooses another. */
  newCompanyName: string | null;
  newChipName: string | null;
  evidence: Candidate['evidence'];
  errors: FieldMessages;
}

/** The fields a suggestion's own messages are shown at; any other message is listed under them. */
export const ROW_FIELDS = [
  'quote',
  'companyId',
  'acceleratorId',
  'acceleratorKind',
  'quantity',
  'quantityQualifier',
  'deliveryFrom',
  'deliveryBy',
  'status',
  'certainty',
];

/** A candidate of the extraction as a suggestion: announced on the article's date, numbered from 1. */
export function suggestionOf(candidate: Candidate, index: number, publishedOn: string): Suggestion {
  const matchedChip = candidate.accelerator?.id ?? null;
  const draft: CommitmentDraft = {
    ...emptyDraft(),
    companyId: candidate.company?.id ?? '',
    // A chip named but not in the catalog is left unchosen, so the record is not saved as an unknown chip by mistake.
    chip: matchedChip ?? (candidate.accelerator ? '' : chipValueOfKind(candidate.acceleratorKind)),
    quantity: candidate.quantity === null ? '' : String(candidate.quantity),
    quantityQualifier: candidate.quantityQualifier ?? 'exact',
    // The range the text gives ("between 300,000 and 400,000"), kept with the record.
    amountLow: candidate.amountLow === null ? '' : String(candidate.amountLow),
    amountHigh: candidate.amountHigh === null ? '' : String(candidate.amountHigh),
    announcedOn: publishedOn,
    deliveryFrom: candidate.deliveryFrom ?? '',
    deliveryBy: candidate.deliveryBy ?? '',
    status: candidate.status,
  };
  return {
    label: index + 1,
    accepted: true,
    draft,
    newCompanyName: candidate.company && !candidate.company.id ? candidate.company.name : null,
    newChipName: candidate.accelerator && !candidate.accelerator.id ? candidate.accelerator.name : null,
    evidence: candidate.evidence,
    errors: {},
  };
}

/**
 * The suggestions of one text and what the analyst does to them: edit a field, add a company or a chip the catalog
 * lacks (every suggestion naming it then takes it).
 */
export function useSuggestions(initial: () => Suggestion[] = () => []) {
  const [suggestions, setSuggestions] = useState<Suggestion[]>(initial);
  const queryClient = useQueryClient();
  const update = (label: number, change: (suggestion: Suggestion) => Suggestion) =>
    setSuggestions((current) => current.map((suggestion) => (suggestion.label === label ? change(suggestion) : suggestion)));
  const setDraft = <Key extends keyof CommitmentDraft>(label: number, key: Key, value: CommitmentDraft[Key]) =>
    update(label, (suggestion) => ({ ...suggestion, draft: { ...suggestion.draft, [key]: value } }));

  const addCompany = async (suggestion: Suggestion) => {
    const name = suggestion.newCompanyName as string;
    try {
      const company = await api.createCompany({ name });
      await queryClient.invalidateQueries({ queryKey: ['companies'] });
      setSuggestions((current) =>
        current.map((row) =>
          row.newCompanyName === name ? { ...row, newCompanyName: null, draft: { ...row.draft, companyId: company.id } } : row,
        ),
      );
    } catch (error) {
      update(suggestion.label, (row) => ({
        ...row,
        errors: { ...row.errors, companyId: error instanceof ApiError ? error.message : String(error) },
      }));
    }
  };

  const addChip = async (suggestion: Suggestion, vendor: string, kind: AcceleratorKind) => {
    const name = suggestion.newChipName as string;
    try {
      const chip = await api.createAccelerator({ name, vendor, kind });
      await queryClient.invalidateQueries({ queryKey: ['accelerators'] });
      setSuggestions((current) =>
        current.map((row) => (row.newChipName === name ? { ...row, newChipName: null, draft: { ...row.draft, chip: chip.id } } : row)),
      );
    } catch (error) {
      const messages = error instanceof ApiError ? Object.values(error.fieldErrors).join('; ') || error.message : String(error);
      update(suggestion.label, (row) => ({ ...row, errors: { ...row.errors, acceleratorId: messages } }));
    }
  };

  return { suggestions, setSuggestions, update, setDraft, addCompany, addChip };
}

/** The fields of one suggestion: company and chip from the catalog (or added to it), amount, window, status. */
/**
 * One suggestion of a review list (the entry page's, the inbox's): whether to keep it, the sentence it was read from,
 * what the page has to say of it, and its fields while it is kept and may be edited.
 */
export function SuggestionItem({
  suggestion,
  editable,
  notice,
  onActivate,
  onAcceptedChange,
  ...fields
}: Parameters<typeof CandidateFields>[0] & {
  editable: boolean;
  notice?: ReactNode;
  onActivate: () => void;
  onAcceptedChange: (accepted: boolean) => void;
}) {
  return (
    <li
      className={suggestion.accepted ? 'candidate' : 'candidate dropped'}
      data-testid={`suggestion-${suggestion.label}`}
      onMouseEnter={onActivate}
      onFocus={onActivate}
    >
      <div className="candidate-head">
        <label>
          <input
            type="checkbox"
            checked={suggestion.accepted}
            disabled={!editable}
            onChange={(event) => onAcceptedChange(event.target.checked)}
          />{' '}
          Accept suggestion {suggestion.label}
        </label>
        <blockquote>{suggestion.evidence.text}</blockquote>
        {notice}
      </div>
      {suggestion.accepted && editable ? <CandidateFields suggestion={suggestion} {...fields} /> : null}
    </li>
  );
}

export function CandidateFields({
  suggestion,
  companies,
  chips,
  setDraft,
  onAddCompany,
  onAddChip,
}: {
  suggestion: Suggestion;
  companies: CompanySummary[];
  chips: Accelerator[];
  setDraft: <Key extends keyof CommitmentDraft>(key: Key, value: CommitmentDraft[Key]) => void;
  onAddCompany: () => void;
  onAddChip: (vendor: string, kind: AcceleratorKind) => void;
}) {
  return (
    <div className="form-grid">
      <Field
        label="Company"
        field="companyId"
        error={suggestion.errors.companyId}
        control={(props) => (
          <select {...props} value={suggestion.draft.companyId} onChange={(event) => setDraft('companyId', event.target.value)}>
            <option value="">{suggestion.newCompanyName ? `“${suggestion.newCompanyName}” is not in the catalog` : 'Choose…'}</option>
            {companies.map((company) => (
              <option key={company.id} value={company.id}>
                {company.name}
              </option>
            ))}
          </select>
        )}
      />
      {suggestion.newCompanyName && !suggestion.draft.companyId ? (
        <p className="inline-action">
          <button type="button" onClick={onAddCompany}>
            Add company “{suggestion.newCompanyName}”
          </button>
        </p>
      ) : null}
      <Field
        label="Chip or kind"
        field="acceleratorId"
        error={suggestion.errors.acceleratorId ?? suggestion.errors.acceleratorKind}
        control={(props) => (
          <select {...props} value={suggestion.draft.chip} onChange={(event) => setDraft('chip', event.target.value)}>
            {suggestion.draft.chip === '' ? (
              <option value="">{suggestion.newChipName ? `“${suggestion.newChipName}” is not in the catalog` : 'Choose…'}</option>
            ) : null}
            <option value={chipValueOfKind('gpu')}>Unknown GPU</option>
            <option value={chipValueOfKind('custom')}>Unknown custom chip</option>
            {chips.map((chip) => (
              <option key={chip.id} value={chip.id}>
                {chip.name} ({chip.vendor})
              </option>
            ))}
          </select>
        )}
      />
      {suggestion.newChipName && suggestion.draft.chip === '' ? <AddChip name={suggestion.newChipName} onAdd={onAddChip} /> : null}
      <Field
        label="Quantity"
        field="quantity"
        error={suggestion.errors.quantity}
        control={(props) => (
          <input
            {...props}
            inputMode="numeric"
            value={suggestion.draft.quantity}
            onChange={(event) => setDraft('quantity', event.target.value)}
          />
        )}
      />
      <Field
        label="Qualifier"
        field="quantityQualifier"
        control={(props) => (
          <select
            {...props}
            value={suggestion.draft.quantityQualifier}
            onChange={(event) => setDraft('quantityQualifier', event.target.value as CommitmentDraft['quantityQualifier'])}
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
        label="Delivery from"
        field="deliveryFrom"
        error={suggestion.errors.deliveryFrom}
        control={(props) => (
          <input
            {...props}
            placeholder="YYYY-Qn"
            value={suggestion.draft.deliveryFrom}
            onChange={(event) => setDraft('deliveryFrom', event.target.value.trim())}
          />
        )}
      />
      <Field
        label="Delivery by"
        field="deliveryBy"
        error={suggestion.errors.deliveryBy}
        warning={draftWarnings(suggestion.draft).deliveryBy}
        control={(props) => (
          <input
            {...props}
            placeholder="YYYY-Qn"
            value={suggestion.draft.deliveryBy}
            onChange={(event) => setDraft('deliveryBy', event.target.value.trim())}
          />
        )}
      />
      <Field
        label="Status"
        field="status"
        control={(props) => (
          <select
            {...props}
            value={suggestion.draft.status}
            onChange={(event) => setDraft('status', event.target.value as CommitmentDraft['status'])}
          >
            {COMMITMENT_STATUSES.map((status) => (
              <option key={status} value={status}>
                {humanize(status)}
              </option>
            ))}
          </select>
        )}
      />
      <Field
        label="Certainty"
        field="certainty"
        control={(props) => (
          <select
            {...props}
            value={suggestion.draft.certainty}
            onChange={(event) => setDraft('certainty', event.target.value as CommitmentDraft['certainty'])}
          >
            {CERTAINTIES.map((certainty) => (
              <option key={certainty} value={certainty}>
                {humanize(certainty)}
              </option>
            ))}
          </select>
        )}
      />
      <OtherErrors errors={suggestion.errors} shown={ROW_FIELDS} />
    </div>
  );
}

/** The few facts a new chip needs; its specs can follow on the chips page. */
function AddChip({ name, onAdd }: { name: string; onAdd: (vendor: string, kind: AcceleratorKind) => void }) {
  const [vendor, setVendor] = useState('');
  const [kind, setKind] = useState<AcceleratorKind>('gpu');
  return (
    <div className="inline-action add-chip">
      <Field
        label={`Vendor of “${name}”`}
        field="vendor"
        control={(props) => <input {...props} value={vendor} onChange={(event) => setVendor(event.target.value)} />}
      />
      <Field
        label="Kind"
        field="kind"
        control={(props) => (
          <select {...props} value={kind} onChange={(event) => setKind(event.target.value as AcceleratorKind)}>
            {ACCELERATOR_KINDS.map((value) => (
              <option key={value} value={value}>
                {value === 'gpu' ? 'GPU' : 'Custom chip'}
              </option>
            ))}
          </select>
        )}
      />
      <button type="button" disabled={!vendor.trim()} onClick={() => onAdd(vendor.trim(), kind)}>
        Add chip “{name}”
      </button>
    </div>
  );
}
