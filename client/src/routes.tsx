import type { RouteObject } from 'react-router';
import { Layout } from './components/Layout';
import { CommitmentDetailPage } from './pages/CommitmentDetailPage';
import { CommitmentsPage } from './pages/CommitmentsPage';
import { DashboardPage } from './pages/DashboardPage';
import { NotFoundPage } from './pages/NotFoundPage';

/** Pages shown in the top navigation, in order. Add a page here and in ROUTES below. */
export const NAVIGATION: { path: string; label: string }[] = [
  { path: '/', label: 'Dashboard' },
  { path: '/commitments', label: 'Commitments' },
];

/** Every client-side route; the server answers any non-API path with index.html, so deep links land here. */
export const ROUTES: RouteObject[] = [
  {
    element: <Layout />,
    children: [
      { index: true, element: <DashboardPage /> },
      { path: 'commitments', element: <CommitmentsPage /> },
      { path: 'commitments/:id', element: <CommitmentDetailPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
