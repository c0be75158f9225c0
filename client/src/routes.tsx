import { lazy, type ReactNode, Suspense } from 'react';
import type { RouteObject } from 'react-router';
import { Layout } from './components/Layout';
import { Skeleton } from './components/states';
import { CommitmentDetailPage } from './pages/CommitmentDetailPage';
import { CommitmentsPage } from './pages/CommitmentsPage';
import { DashboardPage } from './pages/DashboardPage';
import { NotFoundPage } from './pages/NotFoundPage';

// The analysts' pages load on first use, so the dashboard a manager opens does not carry them.
const EntryPage = lazy(() => import('./pages/EntryPage').then((module) => ({ default: module.EntryPage })));
const CommitmentCreatePage = lazy(() => import('./pages/CommitmentFormPage').then((module) => ({ default: module.CommitmentCreatePage })));
const CommitmentEditPage = lazy(() => import('./pages/CommitmentFormPage').then((module) => ({ default: module.CommitmentEditPage })));
const ImportPage = lazy(() => import('./pages/ImportPage').then((module) => ({ default: module.ImportPage })));
const CompaniesPage = lazy(() => import('./pages/CompaniesPage').then((module) => ({ default: module.CompaniesPage })));
const ChipsPage = lazy(() => import('./pages/ChipsPage').then((module) => ({ default: module.ChipsPage })));

const loading = (page: ReactNode) => <Suspense fallback={<Skeleton height={400} label="Loading the page…" />}>{page}</Suspense>;

/** Pages shown in the top navigation, in order. Add a page here and in ROUTES below. */
export const NAVIGATION: { path: string; label: string }[] = [
  { path: '/', label: 'Dashboard' },
  { path: '/commitments', label: 'Commitments' },
  { path: '/entry', label: 'Add from text' },
  { path: '/commitments/new', label: 'New record' },
  { path: '/import', label: 'Import' },
  { path: '/catalog/companies', label: 'Companies' },
  { path: '/catalog/chips', label: 'Chips' },
];

/** Every client-side route; the server answers any non-API path with index.html, so deep links land here. */
export const ROUTES: RouteObject[] = [
  {
    element: <Layout />,
    children: [
      { index: true, element: <DashboardPage /> },
      { path: 'commitments', element: <CommitmentsPage /> },
      { path: 'commitments/new', element: loading(<CommitmentCreatePage />) },
      { path: 'commitments/:id', element: <CommitmentDetailPage /> },
      { path: 'commitments/:id/edit', element: loading(<CommitmentEditPage />) },
      { path: 'entry', element: loading(<EntryPage />) },
      { path: 'import', element: loading(<ImportPage />) },
      { path: 'catalog/companies', element: loading(<CompaniesPage />) },
      { path: 'catalog/chips', element: loading(<ChipsPage />) },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
