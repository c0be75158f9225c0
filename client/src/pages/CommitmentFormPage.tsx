import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api, ApiError } from '../api';
import type { Commitment, WrittenCommitment } from '../api-types';
import {
  type CommitmentDraft,
  draftFromCommitment,
  draftToInput,
  emptyDraft,
  type FieldMessages,
  UNKNOWN_CHIP_PREFIX,
  validateDraft,
} from '../commitment-draft';
import { COMMITMENT_FIELDS, CommitmentFields, sourceFieldNames } from '../components/CommitmentFields';
import { DuplicatePrompt } from '../components/DuplicatePrompt';
import { OtherErrors, useFocusFirstError } from '../components/form';
import { ErrorMessage, Skeleton } from '../components/states';
import { chipName, formatQuantity, formatWindow, humanize } from '../format';

/** Create a commitment; with `?supersedes=<id>`, a revision of that record, its values prefilled. */
export function CommitmentCreatePage() {
  const [params] = useSearchParams();
  const supersedes = params.get('supersedes');
  const revised = useQuery({
    queryKey: ['commitment', supersedes],
    queryFn: () => api.commitment(supersedes as string),
    enabled: Boolean(supersedes),
  });
  if (supersedes && revised.isError) return <ErrorMessage error={revised.error} />;
  if (supersedes && !revised.data) return <Skeleton height={400} label="Loading the record to revise…" />;
  const initial = revised.data ? { ...draftFromCommitment(revised.data), supersedesId: revised.data.id } : emptyDraft();
  return (
    <div className="page">
      <h1>
        {revised.data
          ? `Revise: ${revised.data.company.name}, ${formatQuantity(revised.data)} ${chipName(revised.data)}`
          : 'New commitment'}
      </h1>
      {revised.data ? (
        <p className="notice" role="note">
          The new record supersedes the one announced on {revised.data.announcedOn}: once saved, only the new one counts in totals.
        </p>
      ) : null}
      <CommitmentForm key={supersedes ?? 'new'} initial={initial} submitLabel="Save commitment" />
    </div>
  );
}

/** Edit a commitment: PATCH with the version read; when someone saved first, their values show beside ours. */
export function CommitmentEditPage() {
  const { id = '' } = useParams();
  const record = useQuery({ queryKey: ['commitment', id], queryFn: () => api.commitment(id), staleTime: 0 });
  if (record.isError) return <ErrorMessage error={record.error} />;
  if (!record.data) return <Skeleton height={400} label="Loading the commitment…" />;
  return (
    <div className="page">
      <p>
        <Link to={`/commitments/${id}`}>← Back to the record</Link>
      </p>
      <h1>
        Edit: {record.data.company.name}, {formatQuantity(record.data)} {chipName(record.data)}
      </h1>
      <CommitmentForm key={id} initial={draftFromCommitment(record.data)} editing={record.data} submitLabel="Save changes" />
    </div>
  );
}

function CommitmentForm({ initial, editing, submitLabel }: { initial: CommitmentDraft; editing?: Commitment; submitLabel: string }) {
  const [draft, setDraft] = useState(initial);
  const [errors, setErrors] = useState<FieldMessages>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  // The version our edits apply to: after a conflict the analyst may apply them to the newer one.
  const [baseVersion, setBaseVersion] = useState(editing?.version);
  const [conflict, setConflict] = useState<Commitment | null>(null);
  // A saved record that may repeat others: the analyst says how they relate before leaving the form.
  const [written, setWritten] = useState<WrittenCommitment | null>(null);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, errors);

  useEffect(() => setBaseVersion(editing?.version), [editing?.version]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save(baseVersion);
  };

  const save = async (version: number | undefined) => {
    const found = validateDraft(draft);
    setErrors(found);
    setFailure(null);
    if (Object.keys(found).length > 0) return;
    setSaving(true);
    try {
      const input = draftToInput(draft);
      const saved = editing ? await api.updateCommitment(editing.id, { ...input, version }) : await api.createCommitment(input);
      await queryClient.invalidateQueries();
      if (saved.possibleDuplicates.length > 0) setWritten(saved);
      else navigate(`/commitments/${saved.id}`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 409 && error.currentRecord) {
        setConflict(error.currentRecord as Commitment);
      } else if (error instanceof ApiError && error.status === 400 && Object.keys(error.fieldErrors).length > 0)
        setErrors(error.fieldErrors);
      setFailure(error);
    } finally {
      setSaving(false);
    }
  };

  const shown = [...COMMITMENT_FIELDS, 'sources', ...sourceFieldNames(draft.sources.length)];
  if (written) return <DuplicatePrompt saved={written} onSettled={() => navigate(`/commitments/${written.id}`)} />;
  return (
    <form ref={formRef} className="record-form" noValidate onSubmit={submit} aria-busy={saving}>
      {conflict ? (
        <ConflictComparison
          mine={draft}
          theirs={conflict}
          onKeepMine={() => {
            setBaseVersion(conflict.version);
            setConflict(null);
            setFailure(null);
            void save(conflict.version);
          }}
          onTakeTheirs={() => {
            setDraft(draftFromCommitment(conflict));
            setBaseVersion(conflict.version);
            setConflict(null);
            setFailure(null);
          }}
        />
      ) : null}
      <CommitmentFields draft={draft} errors={errors} onChange={setDraft} />
      <OtherErrors errors={errors} shown={shown} />
      {failure && !conflict ? <ErrorMessage error={failure} /> : null}
      <p className="form-actions">
        <button type="submit" className="primary" disabled={saving || conflict !== null}>
          {saving ? 'Saving…' : submitLabel}
        </button>
      </p>
    </form>
  );
}

/** One line per field that differs between the analyst's edits and the record someone else saved. */
const COMPARED: { label: string; mine: (draft: CommitmentDraft) => string; theirs: (record: Commitment) => string }[] = [
  { label: 'Company', mine: (draft) => draft.companyId, theirs: (record) => record.companyId },
  { label: 'Chip', mine: (draft) => draft.chip, theirs: (record) => draftFromCommitment(record).chip },
  { label: 'Quantity', mine: (draft) => draft.quantity, theirs: (record) => draftFromCommitment(record).quantity },
  { label: 'Qualifier', mine: (draft) => draft.quantityQualifier, theirs: (record) => draftFromCommitment(record).quantityQualifier },
  { label: 'Stated H100e', mine: (draft) => draft.statedH100e, theirs: (record) => draftFromCommitment(record).statedH100e },
  { label: 'Stated MW', mine: (draft) => draft.statedPowerMw, theirs: (record) => draftFromCommitment(record).statedPowerMw },
  { label: 'Announced on', mine: (draft) => draft.announcedOn, theirs: (record) => record.announcedOn },
  { label: 'Delivery from', mine: (draft) => draft.deliveryFrom, theirs: (record) => draftFromCommitment(record).deliveryFrom },
  { label: 'Delivery by', mine: (draft) => draft.deliveryBy, theirs: (record) => draftFromCommitment(record).deliveryBy },
  { label: 'Status', mine: (draft) => draft.status, theirs: (record) => record.status },
  { label: 'Certainty', mine: (draft) => draft.certainty, theirs: (record) => record.certainty },
  { label: 'Host company', mine: (draft) => draft.hostCompanyId, theirs: (record) => draftFromCommitment(record).hostCompanyId },
  { label: 'Part of', mine: (draft) => draft.partOfId, theirs: (record) => draftFromCommitment(record).partOfId },
  { label: 'Site country', mine: (draft) => draft.siteCountry, theirs: (record) => draftFromCommitment(record).siteCountry },
  { label: 'Notes', mine: (draft) => draft.notes, theirs: (record) => draftFromCommitment(record).notes },
  {
    label: 'Sources',
    mine: (draft) => JSON.stringify(draft.sources),
    theirs: (record) => JSON.stringify(draftFromCommitment(record).sources),
  },
];

/**
 * Someone saved the record after it was opened: their values beside ours, field by field. The edits stay in the
 * form; the analyst applies them over the newer version or starts again from it.
 */
function ConflictComparison({
  mine,
  theirs,
  onKeepMine,
  onTakeTheirs,
}: {
  mine: CommitmentDraft;
  theirs: Commitment;
  onKeepMine: () => void;
  onTakeTheirs: () => void;
}) {
  const differing = COMPARED.filter((field) => field.mine(mine) !== field.theirs(theirs));
  const companies = useQuery({ queryKey: ['companies'], queryFn: api.companies });
  const chips = useQuery({ queryKey: ['accelerators'], queryFn: api.accelerators });
  /** A value as people read it: names for ids, words for codes, a dash for nothing. */
  const readable = (label: string, value: string) => {
    if (label === 'Sources') return value === JSON.stringify(draftFromCommitment(theirs).sources) ? 'as theirs' : 'edited';
    if (label === 'Company' || label === 'Host company') return companies.data?.find((company) => company.id === value)?.name ?? value;
    if (label === 'Chip') {
      if (value.startsWith(UNKNOWN_CHIP_PREFIX)) return value.endsWith('custom') ? 'Unknown custom chip' : 'Unknown GPU';
      return chips.data?.find((chip) => chip.id === value)?.name ?? value;
    }
    return value === '' ? '—' : humanize(value);
  };
  return (
    <section className="conflict" role="alert" data-testid="conflict">
      <h2>Someone else saved this record while you were editing</h2>
      <p>
        Their version {theirs.version} (delivery window {formatWindow(theirs.window)}) differs from your edits in these fields. Your edits
        are still in the form below.
      </p>
      <table className="data-table" data-testid="conflict-table">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Your value</th>
            <th scope="col">Their value</th>
          </tr>
        </thead>
        <tbody>
          {differing.map((field) => (
            <tr key={field.label}>
              <th scope="row">{field.label}</th>
              <td>{readable(field.label, field.mine(mine))}</td>
              <td>{field.label === 'Sources' ? 'changed' : readable(field.label, field.theirs(theirs))}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="form-actions">
        <button type="button" className="primary" onClick={onKeepMine}>
          Keep my edits and save over theirs
        </button>
        <button type="button" onClick={onTakeTheirs}>
          Discard my edits and start from theirs
        </button>
      </p>
    </section>
  );
}
