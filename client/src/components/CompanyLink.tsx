import { Link } from 'react-router';

/** The path of a company's page. */
export const companyPath = (id: string) => `/companies/${encodeURIComponent(id)}`;

/** A company's name, linked to its page. */
export function CompanyLink({ company }: { company: { id: string; name: string } }) {
  return <Link to={companyPath(company.id)}>{company.name}</Link>;
}

/**
 * The companies a chart shows, each linked to its page (a chart's legend is drawn on the canvas, so the links sit
 * under it). Series whose key is not a company of the catalog ("Others", countries, kinds) are left out.
 */
export function CompanyLinks({
  series,
  companies,
  testId,
}: {
  series: readonly { key: string; label: string }[];
  companies: readonly { id: string; name: string }[];
  testId?: string;
}) {
  const known = new Set(companies.map((company) => company.id));
  const shown = series.filter((entry) => known.has(entry.key));
  if (shown.length === 0) return null;
  return (
    <p className="company-links" data-testid={testId}>
      Company pages:{' '}
      {shown.map((entry, index) => (
        <span key={entry.key}>
          {index > 0 ? ' · ' : ''}
          <CompanyLink company={{ id: entry.key, name: entry.label }} />
        </span>
      ))}
    </p>
  );
}
