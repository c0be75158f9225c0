import { DEFAULT_DASHBOARD } from '../dashboard-state';
import { DriftPanel } from './DriftPanel';

/** How the forecast of one company's total moved: the dashboard's drift chart, for that company alone. */
export function CompanyDriftSlot({ companyId }: { companyId: string }) {
  return <DriftPanel state={{ ...DEFAULT_DASHBOARD, companyId: [companyId] }} />;
}
