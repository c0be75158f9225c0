import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api, ApiError } from '../api';
import type { WrittenCommitment } from '../api-types';
import { draftToInput, type FieldMessages, type SourceDraft, validateDraft } from '../commitment-draft';
import { type Suggestion, suggestionOf, SuggestionItem, useSuggestions } from '../components/CandidateFields';
import { choiceLine, DuplicatePrompt } from '../components/DuplicatePrompt';
import { Field, useFocusFirstError } from '../components/form';
import { HighlightedText } from '../components/HighlightedText';
import { ErrorMessage } from '../components/states';
import { FIELD_LABELS } from '../field-labels';
import { chipName, formatQuantity } from '../format';

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
  const { suggestions, setSuggestions, update, addCompany, addChip, setDraft } = useSuggestions();
  const [active, setActive] = useState<number | null>(null);
  const [busy, setBusy] = useState<'extracting' | 'saving' | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [saved, setSaved] = useState<WrittenCommitment[] | null>(null);
  // What the analyst said of each saved record that may repeat others, by its id.
  const [settled, setSettled] = useState<Record<string, string>>({});
  const companies = useQuery({ queryKey: ['companies'], queryFn: api.companies });
  const chips = useQuery({ queryKey: ['accelerators'], queryFn: api.accelerators });
  const queryClient = useQueryClient();
  const pageRef = useRef<HTMLDivElement>(null);
  // The first field marked invalid gets the focus, whether the source's or a suggestion's.
  const [shownErrors, setShownErrors] = useState<object>({});
  useFocusFirstError(pageRef, shownErrors);

  const setField = (key: keyof SourceForm, value: string) => setSource((current) => ({ ...current, [key]: value }));
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
      setSettled({});
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

      {saved
        ?.filter((record) => record.possibleDuplicates.length > 0)
        .map((record) =>
          settled[record.id] ? (
            <p key={record.id} className="notice" role="status" data-testid="duplicate-settled">
              {settled[record.id]}
            </p>
          ) : (
            <DuplicatePrompt
              key={record.id}
              saved={record}
              onSettled={(choice) => setSettled((current) => ({ ...current, [record.id]: choiceLine(choice) }))}
            />
          ),
        )}

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
              <SuggestionItem
                key={suggestion.label}
                suggestion={suggestion}
                editable
                notice={suggestion.errors.quote ? <p className="field-error">{suggestion.errors.quote}</p> : null}
                onActivate={() => setActive(suggestion.label)}
                onAcceptedChange={(accepted) => update(suggestion.label, (row) => ({ ...row, accepted }))}
                companies={companies.data ?? []}
                chips={chips.data ?? []}
                setDraft={(key, value) => setDraft(suggestion.label, key, value)}
                onAddCompany={() => void addCompany(suggestion)}
                onAddChip={(vendor, kind) => void addChip(suggestion, vendor, kind)}
              />
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
