import { type ReactNode, useId, useState } from 'react';
import {
  ACCELERATOR_KINDS,
  type AcceleratorKind,
  type AcceleratorRecord,
  COMMITMENT_STATUSES,
  type CommitmentStatus,
  type CompanyRecord,
} from '../api-types';
import { humanize } from '../format';

const FIRST_YEAR = 2022;
const LAST_YEAR = 2030;
export const QUARTER_CHOICES = Array.from({ length: LAST_YEAR - FIRST_YEAR + 1 }, (_, year) =>
  [1, 2, 3, 4].map((q) => `${FIRST_YEAR + year}-Q${q}`),
).flat();

export const KIND_NAMES: Record<AcceleratorKind, string> = { gpu: 'GPU', custom: 'Custom chip' };

function toggle<Value extends string>(values: readonly Value[], value: Value): Value[] {
  return values.includes(value) ? values.filter((item) => item !== value) : [...values, value];
}

/** One of a few options, as radio buttons. */
export function Choice<Value extends string>(props: {
  legend: string;
  name: string;
  value: Value;
  options: readonly { value: Value; label: string }[];
  onChange(value: Value): void;
}) {
  return (
    <fieldset className="switch">
      <legend>{props.legend}</legend>
      {props.options.map((option) => (
        <label key={option.value}>
          <input
            type="radio"
            name={props.name}
            value={option.value}
            checked={props.value === option.value}
            onChange={() => props.onChange(option.value)}
          />
          {option.label}
        </label>
      ))}
    </fieldset>
  );
}

/** Any number of options, folded into a summary line that says how many are chosen. */
export function CheckList<Value extends string>(props: {
  legend: string;
  name: string;
  selected: readonly Value[];
  options: readonly { value: Value; label: string }[];
  hint: string;
  onChange(values: Value[]): void;
}) {
  const summary = props.selected.length === 0 ? props.hint : `${props.selected.length} selected`;
  return (
    <details className="check-list" data-testid={`filter-${props.name}`}>
      <summary>
        {props.legend}: <span>{summary}</span>
      </summary>
      <fieldset>
        <legend className="visually-hidden">{props.legend}</legend>
        {props.options.map((option) => (
          <label key={option.value}>
            <input
              type="checkbox"
              name={props.name}
              value={option.value}
              checked={props.selected.includes(option.value)}
              onChange={() => props.onChange(toggle(props.selected, option.value))}
            />
            {option.label}
          </label>
        ))}
        {props.selected.length > 0 ? (
          <button type="button" className="link-button" onClick={() => props.onChange([])}>
            Clear
          </button>
        ) : null}
      </fieldset>
    </details>
  );
}

/** A quarter, or none (`''`) with the words for none. */
export function QuarterSelect(props: { label: string; name: string; value: string; none: string; onChange(value: string): void }) {
  const id = useId();
  return (
    <span className="field">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} name={props.name} value={props.value} onChange={(event) => props.onChange(event.target.value)}>
        <option value="">{props.none}</option>
        {QUARTER_CHOICES.map((quarter) => (
          <option key={quarter} value={quarter}>
            {quarter}
          </option>
        ))}
      </select>
    </span>
  );
}

/** The record filters shared by the dashboard and the list, by the API's names. */
export interface RecordFilterValues {
  companyId: readonly string[];
  vendor: readonly string[];
  kind: readonly AcceleratorKind[];
  status: readonly CommitmentStatus[];
}

/** Companies, vendors, chip kinds and statuses to choose from, as the catalog has them. */
export function RecordFilters({
  values,
  companies,
  accelerators,
  statusHint,
  onChange,
}: {
  values: RecordFilterValues;
  companies: readonly Pick<CompanyRecord, 'id' | 'name'>[];
  accelerators: readonly Pick<AcceleratorRecord, 'vendor'>[];
  /** What no status chosen means here: the counted ones on the dashboard, any in the list. */
  statusHint: string;
  onChange(changes: Partial<RecordFilterValues>): void;
}) {
  const vendors = [...new Set(accelerators.map((chip) => chip.vendor))].sort((a, b) => a.localeCompare(b));
  return (
    <>
      <CheckList
        legend="Companies"
        name="company"
        hint="all"
        selected={values.companyId}
        options={[...companies].sort((a, b) => a.name.localeCompare(b.name)).map((company) => ({ value: company.id, label: company.name }))}
        onChange={(companyId) => onChange({ companyId })}
      />
      <CheckList
        legend="Vendors"
        name="vendor"
        hint="all"
        selected={values.vendor}
        options={vendors.map((vendor) => ({ value: vendor, label: vendor }))}
        onChange={(vendor) => onChange({ vendor })}
      />
      <CheckList
        legend="Chip kind"
        name="kind"
        hint="all"
        selected={values.kind}
        options={ACCELERATOR_KINDS.map((kind) => ({ value: kind, label: KIND_NAMES[kind] }))}
        onChange={(kind) => onChange({ kind })}
      />
      <CheckList
        legend="Status"
        name="status"
        hint={statusHint}
        selected={values.status}
        options={COMMITMENT_STATUSES.map((status) => ({ value: status, label: humanize(status) }))}
        onChange={(status) => onChange({ status })}
      />
    </>
  );
}

/**
 * Filters that take little room on a wide screen and too much on a phone: there, they fold behind a button that
 * says how many are set.
 */
export function FoldedOnPhones({ active, children }: { active: number; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <div className={open ? 'fold open' : 'fold'}>
      <button type="button" className="fold-toggle" aria-expanded={open} aria-controls={id} onClick={() => setOpen((shown) => !shown)}>
        {open ? 'Hide filters' : active > 0 ? `Filters (${active} set)` : 'Filters'}
      </button>
      <div id={id} className="fold-body">
        {children}
      </div>
    </div>
  );
}
