import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { ApiError, setUnauthorizedHandler } from './api';
import { ROUTES } from './routes';
import { endSession, signInPath } from './session';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // A client error will not go away by asking again; a network or server failure might.
      retry: (failures, error) => failures < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
    },
  },
});

const router = createBrowserRouter(ROUTES);

// A 401 means the session is over (expired, revoked, account disabled) or a visitor needs one: to the sign-in
// page, then back to where the user was.
setUnauthorizedHandler((reason) => {
  const { pathname, search } = router.state.location;
  if (pathname === '/login') return;
  if (reason === 'expired') {
    endSession('expired');
    queryClient.clear();
  }
  void router.navigate(signInPath(`${pathname}${search}`, reason === 'expired'), { replace: true });
});

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
