import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';

/**
 * A page's state kept in its URL. The router applies a new URL asynchronously; until it does, the controls show what
 * was just chosen, so a checkbox never springs back for a moment. Any URL change (back, forward, a link) replaces
 * the choice.
 */
export function useUrlState<State>(
  read: (params: URLSearchParams) => State,
  write: (state: State) => URLSearchParams,
): [State, (next: State, options?: { replace?: boolean }) => void] {
  const [params, setParams] = useSearchParams();
  const fromUrl = useMemo(() => read(params), [params]);
  const [chosen, setChosen] = useState<State | null>(null);
  useEffect(() => setChosen(null), [params]);
  const setState = (next: State, options: { replace?: boolean } = {}) => {
    setChosen(next);
    setParams(write(next), { replace: options.replace });
  };
  return [chosen ?? fromUrl, setState];
}
