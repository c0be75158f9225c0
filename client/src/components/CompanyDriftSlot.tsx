/**
 * Where a company page shows how the forecast of its total moved (`GET /api/capacity/drift` with its `companyId`).
 * That route is not on this branch yet, so the slot renders nothing; the drift chart goes here once it lands.
 */
export function CompanyDriftSlot(_props: { companyId: string }) {
  return null;
}
