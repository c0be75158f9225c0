import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api, ApiError } from '../api';
import {
  ACCELERATOR_KINDS,
  type AcceleratorKind,
  type Candidate,
  CERTAINTIES,
  type Commitment,
  COMMITMENT_STATUSES,
  QUANTITY_QUALIFIERS,
} from '../api-types';
import {
  chipValueOfKind,
  type CommitmentDraft,
  draftToInput,
  draftWarnings,
  emptyDraft,
  type FieldMessages,
  type SourceDraft,
  validateDraft,
} from '../commitment-draft';
import { Field, OtherErrors, useFocusFirstError } from '../components/form';
import { HighlightedText } from '../components/HighlightedText';
import { ErrorMessage } from '../components/states';
import { FIELD_LABELS } from '../field-labels';
import { chipName, formatQuantity, humanize } from '../format';

/** One suggested record as the analyst reviews it. */
interface Suggestion {
  label: number;
  accepted: boolean;
  draft: CommitmentDraft;
  /** Names the catalog lacks, as the text wrote them, until the analyst adds them or chooses another. */
  newCompanyName: string | null;
  newChipName: string | null;
  evidence: Candidate['evidence'];
  errors: FieldMessages;
}

/** The record's first source, as a path: the article's fields, shared by every suggestion. */
const SOURCE_PATH = /^sources\[0\]\.(.+)$/;

/**
 * Splits one suggestion's errors into those of the shared source (the article's URL, title, publisher, date and
 * language, shown once at those fields) and its own; its quote is its own sentence of the article.
 */
function splitSourceErrors(errors: FieldMessages): { source: FieldMessages; own: FieldMessages } {
  const source: FieldMessages = {};
  const own: FieldMessages = {};
  for (const [path, message] of Object.entries(errors)) {
    const field = SOURCE_PATH.exec(path)?.[1];
    if (field === 'quote') own.quote = message;
    else if (field) source[field] = message;
    else own[path] = message;
  }
  return { source, own };
}

const ROW_FIELDS = [
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

function suggestionOf(candidate: Candidate, index: number, publishedOn: string): Suggestion {
  const matchedChip = candidate.accelerator?.id ?? null;
  const draft: CommitmentDraft = {
    ...emptyDraft(),
    companyId: candidate.company?.id ?? '',
    // A chip named but not in the catalog is left unchosen, so the record is not saved as an unknown chip by mistake.
    chip: matchedChip ?? (candidate.accelerator ? '' : chipValueOfKind(candidate.acceleratorKind)),
    quantity: candidate.quantity === null ? '' : String(candidate.quantity),
    quantityQualifier: candidate.quantityQualifier ?? 'exact',
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

interface SourceForm {
  text: string;
  publishedOn: string;
  url: string;
  title: string;
  publisher: string;
  language: string;
}

/** From a pasted article to cited records: suggestions with their evidence marked, reviewed, saved in one go. */
export function EntryPage() {
  const [source, setSource] = useState<SourceForm>({ text: '', publishedOn: '', url: '', title: '', publisher: '', language: '' });
  const [sourceErrors, setSourceErrors] = useState<FieldMessages>({});
  const [extracted, setExtracted] = useState<{ text: string; language: string } | null>(null);
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const [active, setActive] = useState<number | null>(null);
  const [busy, setBusy] = useState<'extracting' | 'saving' | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [saved, setSaved] = useState<Commitment[] | null>(null);
  const companies = useQuery({ queryKey: ['companies'], queryFn: api.companies });
  const chips = useQuery({ queryKey: ['accelerators'], queryFn: api.accelerators });
  const queryClient = useQueryClient();
  const pageRef = useRef<HTMLDivElement>(null);
  // The first field marked invalid gets the focus, whether the source's or a suggestion's.
  const [shownErrors, setShownErrors] = useState<object>({});
  useFocusFirstError(pageRef, shownErrors);

  const setField = (key: keyof SourceForm, value: string) => setSource((current) => ({ ...current, [key]: value }));
  const update = (label: number, change: (suggestion: Suggestion) => Suggestion) =>
    setSuggestions((current) => current.map((suggestion) => (suggestion.label === label ? change(suggestion) : suggestion)));
  const setDraft = <Key extends keyof CommitmentDraft>(label: number, key: Key, value: CommitmentDraft[Key]) =>
    update(label, (suggestion) => ({ ...suggestion, draft: { ...suggestion.draft, [key]: value } }));

  const extract = async (event: FormEvent) => {
    event.preventDefault();
    const errors: FieldMessages = {};
    if (!source.text.trim()) errors.text = 'Paste the text of the article';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(source.publishedOn)) errors.publishedOn = 'The date the article was published, YYYY-MM-DD';
    setSourceErrors(errors);
    setShownErrors(errors);
    if (Object.keys(errors).length > 0) return;
    setBusy('extracting');
    setFailure(null);
    setSaved(null);
    try {
      const result = await api.extract({
        text: source.text,
        publishedOn: source.publishedOn,
        ...(source.language.trim() ? { language: source.language.trim() } : {}),
      });
      setExtracted({ text: source.text, language: result.language });
      setSuggestions(result.candidates.map((candidate, index) => suggestionOf(candidate, index, source.publishedOn)));
    } catch (error) {
      if (error instanceof ApiError) {
        setSourceErrors(error.fieldErrors);
        setShownErrors(error.fieldErrors);
      }
      setFailure(error);
    } finally {
      setBusy(null);
    }
  };

  const sourceOf = (suggestion: Suggestion): SourceDraft => ({
    url: source.url,
    title: source.title,
    publisher: source.publisher,
    publishedOn: source.publishedOn,
    language: source.language.trim() || extracted?.language || '',
    quote: suggestion.evidence.text.trim(),
  });

  const accepted = suggestions.filter((suggestion) => suggestion.accepted);

  /** Shows errors found for the accepted suggestions (by their order among them): the source's at the source. */
  const showErrors = (byAccepted: FieldMessages[]) => {
    const split = byAccepted.map(splitSourceErrors);
    const sourceFound = Object.assign({}, ...split.map((errors) => errors.source)) as FieldMessages;
    setSourceErrors(sourceFound);
    setSuggestions((current) =>
      current.map((suggestion) => ({
        ...suggestion,
        errors: suggestion.accepted ? (split[accepted.indexOf(suggestion)]?.own ?? {}) : {},
      })),
    );
    setShownErrors({ ...sourceFound, ...Object.assign({}, ...split.map((errors) => errors.own)) });
  };

  const save = async () => {
    const drafts = accepted.map((suggestion) => ({ ...suggestion.draft, sources: [sourceOf(suggestion)] }));
    const found = drafts.map(validateDraft);
    showErrors(found);
    setFailure(null);
    if (found.some((errors) => Object.keys(errors).length > 0)) return;
    setBusy('saving');
    try {
      const records = await api.createCommitments(drafts.map(draftToInput));
      setSaved(records);
      setSuggestions([]);
      await queryClient.invalidateQueries();
    } catch (error) {
      if (error instanceof ApiError && error.status === 400) {
        // `items[1].quantity` → the second accepted row's quantity.
        const byItem = accepted.map((): FieldMessages => ({}));
        for (const [path, message] of Object.entries(error.fieldErrors)) {
          const match = /^items\[(\d+)\]\.(.+)$/.exec(path);
          if (match && byItem[Number(match[1])]) byItem[Number(match[1])][match[2]] = message;
        }
        showErrors(byItem);
      }
      setFailure(error);
    } finally {
      setBusy(null);
    }
  };

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

  return (
    <div className="page entry" ref={pageRef}>
      <h1>Add from an article</h1>
      <form className="record-form" noValidate onSubmit={extract}>
        <Field
          label="Article text"
          field="text"
          error={sourceErrors.text}
          control={(props) => (
            <textarea {...props} rows={8} value={source.text} onChange={(event) => setField('text', event.target.value)} />
          )}
        />
        <div className="form-grid">
          <Field
            label="Published on"
            field="publishedOn"
            error={sourceErrors.publishedOn}
            control={(props) => (
              <input {...props} type="date" value={source.publishedOn} onChange={(event) => setField('publishedOn', event.target.value)} />
            )}
          />
          <Field
            label={FIELD_LABELS.url}
            field="url"
            error={sourceErrors.url}
            control={(props) => (
              <input {...props} type="url" value={source.url} onChange={(event) => setField('url', event.target.value)} />
            )}
          />
          <Field
            label={FIELD_LABELS.title}
            field="title"
            error={sourceErrors.title}
            control={(props) => <input {...props} value={source.title} onChange={(event) => setField('title', event.target.value)} />}
          />
          <Field
            label={FIELD_LABELS.publisher}
            field="publisher"
            error={sourceErrors.publisher}
            control={(props) => (
              <input {...props} value={source.publisher} onChange={(event) => setField('publisher', event.target.value)} />
            )}
          />
          <Field
            label="Language"
            field="language"
            error={sourceErrors.language}
            hint="Detected from the text when empty"
            control={(props) => (
              <input {...props} placeholder="id" value={source.language} onChange={(event) => setField('language', event.target.value)} />
            )}
          />
        </div>
        <p className="form-actions">
          <button type="submit" className="primary" disabled={busy !== null}>
            {busy === 'extracting' ? 'Reading…' : 'Suggest records'}
          </button>
        </p>
      </form>

      {failure ? <ErrorMessage error={failure} /> : null}

      {saved ? (
        <section className="notice" role="status" data-testid="saved">
          <h2>
            Saved {saved.length} {saved.length === 1 ? 'record' : 'records'}
          </h2>
          <ul>
            {saved.map((record) => (
              <li key={record.id}>
                <Link to={`/commitments/${record.id}`}>
                  {record.company.name}: {formatQuantity(record)} {chipName(record)}
                </Link>
              </li>
            ))}
          </ul>
          <p>
            <Link to="/">See them on the dashboard</Link>
          </p>
        </section>
      ) : null}

      {extracted && !saved ? (
        <section aria-labelledby="suggestions-title" className="suggestions">
          <h2 id="suggestions-title">
            {suggestions.length === 0
              ? 'No records found in this text'
              : `${suggestions.length} suggested ${suggestions.length === 1 ? 'record' : 'records'}`}
          </h2>
          <HighlightedText
            text={extracted.text}
            highlights={suggestions.map((suggestion) => ({
              start: suggestion.evidence.start,
              end: suggestion.evidence.end,
              label: suggestion.label,
            }))}
            active={active}
          />
          <ol className="candidates">
            {suggestions.map((suggestion) => (
              <li
                key={suggestion.label}
                className={suggestion.accepted ? 'candidate' : 'candidate dropped'}
                data-testid={`suggestion-${suggestion.label}`}
                onMouseEnter={() => setActive(suggestion.label)}
                onFocus={() => setActive(suggestion.label)}
              >
                <div className="candidate-head">
                  <label>
                    <input
                      type="checkbox"
                      checked={suggestion.accepted}
                      onChange={(event) => update(suggestion.label, (row) => ({ ...row, accepted: event.target.checked }))}
                    />{' '}
                    Accept suggestion {suggestion.label}
                  </label>
                  <blockquote>{suggestion.evidence.text}</blockquote>
                  {suggestion.errors.quote ? <p className="field-error">{suggestion.errors.quote}</p> : null}
                </div>
                {suggestion.accepted ? (
                  <div className="form-grid">
                    <Field
                      label="Company"
                      field="companyId"
                      error={suggestion.errors.companyId}
                      control={(props) => (
                        <select
                          {...props}
                          value={suggestion.draft.companyId}
                          onChange={(event) => setDraft(suggestion.label, 'companyId', event.target.value)}
                        >
                          <option value="">
                            {suggestion.newCompanyName ? `“${suggestion.newCompanyName}” is not in the catalog` : 'Choose…'}
                          </option>
                          {companies.data?.map((company) => (
                            <option key={company.id} value={company.id}>
                              {company.name}
                            </option>
                          ))}
                        </select>
                      )}
                    />
                    {suggestion.newCompanyName && !suggestion.draft.companyId ? (
                      <p className="inline-action">
                        <button type="button" onClick={() => void addCompany(suggestion)}>
                          Add company “{suggestion.newCompanyName}”
                        </button>
                      </p>
                    ) : null}
                    <Field
                      label="Chip or kind"
                      field="acceleratorId"
                      error={suggestion.errors.acceleratorId ?? suggestion.errors.acceleratorKind}
                      control={(props) => (
                        <select
                          {...props}
                          value={suggestion.draft.chip}
                          onChange={(event) => setDraft(suggestion.label, 'chip', event.target.value)}
                        >
                          {suggestion.draft.chip === '' ? (
                            <option value="">
                              {suggestion.newChipName ? `“${suggestion.newChipName}” is not in the catalog` : 'Choose…'}
                            </option>
                          ) : null}
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
                    {suggestion.newChipName && suggestion.draft.chip === '' ? (
                      <AddChip name={suggestion.newChipName} onAdd={(vendor, kind) => void addChip(suggestion, vendor, kind)} />
                    ) : null}
                    <Field
                      label="Quantity"
                      field="quantity"
                      error={suggestion.errors.quantity}
                      control={(props) => (
                        <input
                          {...props}
                          inputMode="numeric"
                          value={suggestion.draft.quantity}
                          onChange={(event) => setDraft(suggestion.label, 'quantity', event.target.value)}
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
                          onChange={(event) =>
                            setDraft(suggestion.label, 'quantityQualifier', event.target.value as CommitmentDraft['quantityQualifier'])
                          }
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
                          onChange={(event) => setDraft(suggestion.label, 'deliveryFrom', event.target.value.trim())}
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
                          onChange={(event) => setDraft(suggestion.label, 'deliveryBy', event.target.value.trim())}
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
                          onChange={(event) => setDraft(suggestion.label, 'status', event.target.value as CommitmentDraft['status'])}
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
                          onChange={(event) => setDraft(suggestion.label, 'certainty', event.target.value as CommitmentDraft['certainty'])}
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
                ) : null}
              </li>
            ))}
          </ol>
          {suggestions.length > 0 ? (
            <p className="form-actions">
              <button type="button" className="primary" disabled={busy !== null || accepted.length === 0} onClick={() => void save()}>
                {busy === 'saving' ? 'Saving…' : `Save ${accepted.length} accepted ${accepted.length === 1 ? 'record' : 'records'}`}
              </button>
              <span className="muted"> Each with the source above and its sentence as the quote, all in one go.</span>
            </p>
          ) : null}
        </section>
      ) : null}
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
