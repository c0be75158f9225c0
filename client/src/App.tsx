import { useEffect, useState } from 'react';

interface Health {
  status: string;
  database: string;
}

export function App() {
  const [health, setHealth] = useState<Health | null>(null);
  useEffect(() => {
    fetch('/api/health')
      .then((response) => response.json() as Promise<Health>)
      .then(setHealth)
      .catch(() => setHealth({ status: 'unavailable', database: 'down' }));
  }, []);
  return (
    <main>
      <h1>Compute Ledger</h1>
      <p>Announced AI accelerator commitments by company and quarter.</p>
      <p>
        Service: <span data-testid="health">{health ? `${health.status}, database ${health.database}` : 'checking…'}</span>
      </p>
      <p>
        <a href="/api/docs">API documentation</a>
      </p>
    </main>
  );
}
