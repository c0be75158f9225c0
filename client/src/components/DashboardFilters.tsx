import { type Accelerator, type CompanySummary, DEFAULT_COUNTED_STATUSES, PRECISIONS } from '../api-types';
import { activeFilterCount, DEFAULT_DASHBOARD, type DashboardState } from '../dashboard-state';
import { Choice, FoldedOnPhones, QuarterSelect, RecordFilters } from './filters';

interface Props {
  state: DashboardState;
  companies: CompanySummary[];
  accelerators: Accelerator[];
  onChange(next: DashboardState): void;
}

const PRECISION_LABELS: Record<string, string> = { bf16: 'BF16', fp8: 'FP8', max: 'max (Epoch)' };

/** The switches and filters of the dashboard; the page keeps them in the URL. */
export function DashboardFilters({ state, companies, accelerators, onChange }: Props) {
  const set = (changes: Partial<DashboardState>) => onChange({ ...state, ...changes });
  const isDefault = JSON.stringify(state) === JSON.stringify(DEFAULT_DASHBOARD);
  return (
    <FoldedOnPhones active={activeFilterCount(state)}>
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
          {/* The precision chooses the H100-equivalent factor: it means nothing for units or megawatts. */}
          {state.metric === 'h100e' ? (
            <Choice
              legend="Precision"
              name="precision"
              value={state.precision}
              options={PRECISIONS.map((precision) => ({ value: precision, label: PRECISION_LABELS[precision] ?? precision }))}
              onChange={(precision) => set({ precision })}
            />
          ) : null}
          <Choice
            legend="Group by"
            name="groupBy"
            value={state.view}
            options={[
              { value: 'company', label: 'Company' },
              { value: 'country', label: 'Country' },
              { value: 'companyKind', label: 'Kind of company' },
            ]}
            onChange={(view) => set({ view })}
          />
          {/* A tenant's share of a fleet counts under the tenant (user) or under the fleet's owner; never both. */}
          <Choice
            legend="Count shares under"
            name="attribution"
            value={state.attribution}
            options={[
              { value: 'user', label: 'User' },
              { value: 'owner', label: 'Owner' },
            ]}
            onChange={(attribution) => set({ attribution })}
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
          <QuarterSelect label="From" name="from" value={state.from} none="first quarter" onChange={(from) => set({ from })} />
          <QuarterSelect label="To" name="to" value={state.to} none="last quarter" onChange={(to) => set({ to })} />
          <RecordFilters
            values={state}
            companies={companies}
            accelerators={accelerators}
            statusHint={DEFAULT_COUNTED_STATUSES.join(', ')}
            onChange={set}
          />
          {!isDefault ? (
            <button type="button" className="link-button" onClick={() => onChange(DEFAULT_DASHBOARD)}>
              Reset all
            </button>
          ) : null}
        </div>
      </form>
    </FoldedOnPhones>
  );
}
