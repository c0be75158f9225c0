import { ACCELERATOR_KINDS, COMMITMENT_STATUSES, DEFAULT_COUNTED_STATUSES, type Accelerator, type CompanySummary } from '../api-types';
import { DEFAULT_DASHBOARD, type DashboardState } from '../dashboard-state';
import { humanize } from '../format';

interface Props {
  state: DashboardState;
  companies: CompanySummary[];
  accelerators: Accelerator[];
  onChange(next: DashboardState): void;
}

const FIRST_YEAR = 2022;
const LAST_YEAR = 2030;
const QUARTERS = Array.from({ length: LAST_YEAR - FIRST_YEAR + 1 }, (_, year) =>
  [1, 2, 3, 4].map((q) => `${FIRST_YEAR + year}-Q${q}`),
).flat();

function toggle<Value extends string>(values: readonly Value[], value: Value): Value[] {
  return values.includes(value) ? values.filter((item) => item !== value) : [...values, value];
}

function Choice<Value extends string>(props: {
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

function CheckList<Value extends string>(props: {
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

/** The switches and filters of the dashboard; the page keeps them in the URL. */
export function DashboardFilters({ state, companies, accelerators, onChange }: Props) {
  const set = (changes: Partial<DashboardState>) => onChange({ ...state, ...changes });
  const vendors = [...new Set(accelerators.map((chip) => chip.vendor))].sort((a, b) => a.localeCompare(b));
  const isDefault = JSON.stringify(state) === JSON.stringify(DEFAULT_DASHBOARD);
  return (
    <form className="filters" aria-label="Dashboard filters" onSubmit={(event) => event.preventDefault()}>
      <div className="switches">
        <Choice
          legend="Metric"
          name="metric"
          value={state.metric}
          options={[
            { value: 'h100e', label: 'H100e' },
            { value: 'units', label: 'Units' },
            { value: 'power_mw', label: 'MW' },
          ]}
          onChange={(metric) => set({ metric })}
        />
        <Choice
          legend="Basis"
          name="basis"
          value={state.basis}
          options={[
            { value: 'delivery', label: 'Delivery' },
            { value: 'announced', label: 'Announced' },
          ]}
          onChange={(basis) => set({ basis })}
        />
        <Choice
          legend="Precision"
          name="precision"
          value={state.precision}
          options={[
            { value: 'bf16', label: 'BF16' },
            { value: 'fp8', label: 'FP8' },
            { value: 'max', label: 'max (Epoch)' },
          ]}
          onChange={(precision) => set({ precision })}
        />
        <label className="toggle">
          <input
            type="checkbox"
            name="cumulative"
            checked={state.cumulative}
            onChange={(event) => set({ cumulative: event.target.checked })}
          />
          Cumulative
        </label>
      </div>
      <div className="filter-row">
        <span className="field">
          <label htmlFor="filter-from">From</label>
          <select id="filter-from" name="from" value={state.from} onChange={(event) => set({ from: event.target.value })}>
            <option value="">first quarter</option>
            {QUARTERS.map((quarter) => (
              <option key={quarter} value={quarter}>
                {quarter}
              </option>
            ))}
          </select>
        </span>
        <span className="field">
          <label htmlFor="filter-to">To</label>
          <select id="filter-to" name="to" value={state.to} onChange={(event) => set({ to: event.target.value })}>
            <option value="">last quarter</option>
            {QUARTERS.map((quarter) => (
              <option key={quarter} value={quarter}>
                {quarter}
              </option>
            ))}
          </select>
        </span>
        <CheckList
          legend="Companies"
          name="company"
          hint="all"
          selected={state.companyId}
          options={[...companies]
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((company) => ({ value: company.id, label: company.name }))}
          onChange={(companyId) => set({ companyId })}
        />
        <CheckList
          legend="Vendors"
          name="vendor"
          hint="all"
          selected={state.vendor}
          options={vendors.map((vendor) => ({ value: vendor, label: vendor }))}
          onChange={(vendor) => set({ vendor })}
        />
        <CheckList
          legend="Chip kind"
          name="kind"
          hint="all"
          selected={state.kind}
          options={ACCELERATOR_KINDS.map((kind) => ({ value: kind, label: kind === 'gpu' ? 'GPU' : 'Custom chip' }))}
          onChange={(kind) => set({ kind })}
        />
        <CheckList
          legend="Status"
          name="status"
          hint={DEFAULT_COUNTED_STATUSES.join(', ')}
          selected={state.status}
          options={COMMITMENT_STATUSES.map((status) => ({ value: status, label: humanize(status) }))}
          onChange={(status) => set({ status })}
        />
        {!isDefault ? (
          <button type="button" className="link-button" onClick={() => onChange(DEFAULT_DASHBOARD)}>
            Reset all
          </button>
        ) : null}
      </div>
    </form>
  );
}
