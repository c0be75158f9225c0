import { Link } from 'react-router';

export function NotFoundPage() {
  return (
    <div className="page">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. Go to the <Link to="/">dashboard</Link> or the <Link to="/commitments">list of commitments</Link>.
      </p>
    </div>
  );
}
