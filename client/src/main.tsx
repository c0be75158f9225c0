import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { ApiError, setSessionHandlers } from './api';
import { ROUTES } from './routes';
import { endSession, passwordChangePath, renewSession, restoreSession, signInPath, syncUser } from './session';
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
const here = () => `${router.state.location.pathname}${router.state.location.search}`;

setSessionHandlers({
  renew: renewSession,
  // A 401 means the session is over (expired, revoked, account disabled) or a visitor needs one: to the sign-in
  // page, then back to where the user was.
  unauthorized: (reason) => {
    if (router.state.location.pathname === '/login') return;
    if (reason === 'expired') {
      endSession('expired');
      queryClient.clear();
    }
    void router.navigate(signInPath(here(), reason === 'expired'), { replace: true });
  },
  passwordChangeRequired: () => {
    if (router.state.location.pathname !== '/account/password') void router.navigate(passwordChangePath(here()), { replace: true });
  },
  forbidden: () => void syncUser(),
});

// The sign-in this browser holds (from any tab) is restored before the first page is drawn.
void restoreSession().then(() =>
  createRoot(document.getElementById('root') as HTMLElement).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </StrictMode>,
  ),
);
