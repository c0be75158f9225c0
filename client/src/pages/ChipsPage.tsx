import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, ApiError, type ImportOutcome } from '../api';
import { ACCELERATOR_KINDS, type AcceleratorKind, type AcceleratorRecord, EPOCH_HARDWARE_CREDIT } from '../api-types';
import { FIELD_LABELS } from '../field-labels';
import { aliasesFromText, aliasesText, Field, OtherErrors } from '../components/form';
import { EmptyState, ErrorMessage, Skeleton } from '../components/states';

const SPECS = [
  { key: 'denseFp32Tflops', label: FIELD_LABELS.denseFp32Tflops },
  { key: 'denseBf16Tflops', label: FIELD_LABELS.denseBf16Tflops },
  { key: 'denseFp8Tflops', label: FIELD_LABELS.denseFp8Tflops },
  { key: 'denseInt8Tops', label: FIELD_LABELS.denseInt8Tops },
  { key: 'memoryGb', label: FIELD_LABELS.memoryGb },
  { key: 'tdpWatts', label: FIELD_LABELS.tdpWatts },
  { key: 'releaseYear', label: FIELD_LABELS.releaseYear },
  { key: 'releasePriceUsd', label: FIELD_LABELS.releasePriceUsd },
] as const;
type SpecKey = (typeof SPECS)[number]['key'];

type ChipDraft = { name: string; vendor: string; kind: AcceleratorKind; aliases: string; specSource: string } & Record<SpecKey, string>;

const emptyChip: ChipDraft = {
  name: '',
  vendor: '',
  kind: 'gpu',
  aliases: '',
  specSource: '',
  ...(Object.fromEntries(SPECS.map((spec) => [spec.key, ''])) as Record<SpecKey, string>),
};
const CHIP_FIELDS = ['name', 'vendor', 'kind', 'aliases', 'specSource', ...SPECS.map((spec) => spec.key)];

const factor = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });
const figure = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const shown = (value: number | null) => (value === null ? '—' : figure.format(value));

function validateChip(draft: ChipDraft): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!draft.name.trim()) errors.name = 'Enter the chip’s name';
  if (!draft.vendor.trim()) errors.vendor = 'Enter the vendor';
  for (const { key } of SPECS) {
    const value = draft[key].trim();
    if (!value) continue;
    const number = Number(value);
    if (!Number.isFinite(number) || number <= 0) errors[key] = 'Enter a positive number';
    else if (key === 'releaseYear' && (!Number.isInteger(number) || number < 1990 || number > 2100)) {
      errors[key] = 'Enter a year between 1990 and 2100';
    }
  }
  return errors;
}

/**
 * The chip catalog: specs, the H100-equivalent factors they give (BF16, and the highest dense rate as Epoch AI
 * counts), the aliases extraction matches, and the import of Epoch AI's hardware list.
 */
export function ChipsPage() {
  const chips = useQuery({ queryKey: ['accelerators'], queryFn: api.accelerators });
  const [editing, setEditing] = useState<AcceleratorRecord | null>(null);
  return (
    <div className="page">
      <h1>Chips</h1>
      {chips.isError ? (
        <ErrorMessage error={chips.error} onRetry={() => void chips.refetch()} />
      ) : !chips.data ? (
        <Skeleton height={300} label="Loading chips…" />
      ) : chips.data.length === 0 ? (
        <EmptyState title="No chips yet">
          <p>Add the first one below.</p>
        </EmptyState>
      ) : (
        <div className="table-scroll">
          <table className="data-table" data-testid="chips-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Vendor</th>
                <th scope="col">Kind</th>
                {SPECS.map((spec) => (
                  <th scope="col" key={spec.key}>
                    {spec.label}
                  </th>
                ))}
                <th scope="col">H100e factor (BF16)</th>
                <th scope="col">H100e factor (max)</th>
                <th scope="col">Aliases</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {chips.data.map((chip) => (
                <tr key={chip.id}>
                  <th scope="row">{chip.name}</th>
                  <td>{chip.vendor}</td>
                  <td>{chip.kind === 'gpu' ? 'GPU' : 'Custom'}</td>
                  {SPECS.map((spec) => (
                    <td className="number" key={spec.key}>
                      {spec.key === 'releaseYear' ? (chip.releaseYear ?? '—') : shown(chip[spec.key])}
                    </td>
                  ))}
                  <td className="number">{chip.h100eFactor === null ? '—' : factor.format(chip.h100eFactor)}</td>
                  <td className="number">{chip.h100eFactors.max === null ? '—' : factor.format(chip.h100eFactors.max)}</td>
                  <td>{aliasesText(chip.aliases)}</td>
                  <td>
                    <button type="button" onClick={() => setEditing(chip)} aria-label={`Edit ${chip.name}`}>
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
        <ChipForm key={editing.id} record={editing} onDone={() => setEditing(null)} />
      ) : (
        <ChipForm key="new" onDone={() => undefined} />
      )}
      <EpochHardwareImport />
      <p className="muted" data-testid="epoch-credit">
        Chip figures from Epoch AI: {EPOCH_HARDWARE_CREDIT}.
      </p>
    </div>
  );
}

/** Epoch AI's ml_hardware.csv: previewed first (a dry run), then imported in one transaction. */
function EpochHardwareImport() {
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<(ImportOutcome & { dryRun: boolean }) | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const queryClient = useQueryClient();

  const run = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(true);
    setFailure(null);
    setOutcome(null);
    try {
      const result = await api.importEpochHardware(file, dryRun);
      setOutcome({ ...result, dryRun });
      if (!dryRun && result.accepted) await queryClient.invalidateQueries();
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  const previewed = outcome?.dryRun === true && outcome.accepted;
  const report = outcome?.report;
  return (
    <section className="record-form" aria-labelledby="epoch-import-title">
      <h2 id="epoch-import-title">Import Epoch AI&apos;s hardware list</h2>
      <p>
        Epoch AI&apos;s ml_hardware.csv adds its chips and refreshes the figures of the chips already here, matched by name or alias;
        Epoch&apos;s name is kept as an alias. Preview first: nothing is written until every row is valid.
      </p>
      <div className="field">
        <label htmlFor="epoch-file">Epoch hardware CSV</label>
        <input
          id="epoch-file"
          type="file"
          accept=".csv,text/csv"
          disabled={busy}
          onChange={(event) => {
            setFile(event.target.files?.[0] ?? null);
            setOutcome(null);
            setFailure(null);
          }}
        />
      </div>
      <p className="form-actions">
        <button type="button" className="primary" disabled={!file || busy} onClick={() => void run(true)}>
          Preview (dry run)
        </button>
        <button type="button" disabled={!file || busy || !previewed} onClick={() => void run(false)}>
          Import chips
        </button>
      </p>
      {failure ? <ErrorMessage error={failure} /> : null}
      {outcome && report ? (
        <div role="status" data-testid="epoch-import-report">
          <p>
            {!outcome.accepted
              ? `${report.errors.length} ${report.errors.length === 1 ? 'problem' : 'problems'} in ${report.rows - report.valid} of ${report.rows} rows: nothing was written.`
              : `${outcome.dryRun ? 'Would create' : 'Created'} ${report.created}, ${outcome.dryRun ? 'would update' : 'updated'} ${report.updated}, ${report.unchanged} unchanged (${report.rows} rows).`}
          </p>
          {report.errors.length > 0 ? (
            <ul>
              {report.errors.map((error, index) => (
                <li key={index}>
                  Line {error.line}, {error.field}: {error.message}
                  {error.value ? ` (${error.value})` : ''}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

const text = (value: number | string | null) => (value === null ? '' : String(value));

function ChipForm({ record, onDone }: { record?: AcceleratorRecord; onDone: () => void }) {
  const initial: ChipDraft = record
    ? {
        name: record.name,
        vendor: record.vendor,
        kind: record.kind,
        aliases: aliasesText(record.aliases),
        specSource: text(record.specSource),
        ...(Object.fromEntries(SPECS.map((spec) => [spec.key, text(record[spec.key])])) as Record<SpecKey, string>),
      }
    : emptyChip;
  const [draft, setDraft] = useState(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const set = (key: keyof ChipDraft, value: string) => setDraft((current) => ({ ...current, [key]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validateChip(draft);
    setErrors(found);
    setFailure(null);
    setMessage(null);
    if (Object.keys(found).length > 0) return;
    const specs = Object.fromEntries(SPECS.map(({ key }) => [key, draft[key].trim() ? Number(draft[key]) : null])) as Record<
      SpecKey,
      number | null
    >;
    const body = {
      name: draft.name.trim(),
      vendor: draft.vendor.trim(),
      kind: draft.kind,
      aliases: aliasesFromText(draft.aliases),
      specSource: draft.specSource.trim() || null,
      ...specs,
    };
    try {
      const saved = record
        ? await api.updateAccelerator(record.id, { ...body, version: record.version })
        : await api.createAccelerator(body);
      await queryClient.invalidateQueries();
      setMessage(`Saved ${saved.name}.`);
      if (record) onDone();
      else setDraft(emptyChip);
    } catch (error) {
      if (error instanceof ApiError) setErrors(error.fieldErrors);
      setFailure(error);
    }
  };

  const input = (key: keyof ChipDraft, label: string, mode?: 'decimal') => (
    <Field
      key={key}
      label={label}
      field={key}
      error={errors[key]}
      control={(props) => <input {...props} inputMode={mode} value={draft[key]} onChange={(event) => set(key, event.target.value)} />}
    />
  );

  return (
    <form className="record-form" noValidate onSubmit={submit} aria-label={record ? `Edit ${record.name}` : 'Add a chip'}>
      <h2>{record ? `Edit ${record.name}` : 'Add a chip'}</h2>
      <div className="form-grid">
        {input('name', 'Name')}
        {input('vendor', 'Vendor')}
        <Field
          label="Kind"
          field="kind"
          error={errors.kind}
          control={(props) => (
            <select {...props} value={draft.kind} onChange={(event) => set('kind', event.target.value)}>
              {ACCELERATOR_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {kind === 'gpu' ? 'GPU' : 'Custom chip'}
                </option>
              ))}
            </select>
          )}
        />
        {input('aliases', 'Aliases (comma-separated)')}
        {SPECS.map((spec) => input(spec.key, spec.label, 'decimal'))}
        {input('specSource', 'Source of the specs')}
      </div>
      <OtherErrors errors={errors} shown={CHIP_FIELDS} />
      {failure ? <ErrorMessage error={failure} /> : null}
      {message ? <p role="status">{message}</p> : null}
      <p className="form-actions">
        <button type="submit" className="primary">
          {record ? 'Save chip' : 'Add chip'}
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
