import { lazy, type ReactNode, Suspense } from 'react';
import type { RouteObject } from 'react-router';
import { Layout } from './components/Layout';
import { RequireRole } from './components/RequireRole';
import { Skeleton } from './components/states';
import { AuditPage } from './pages/AuditPage';
import { ChangePasswordPage } from './pages/ChangePasswordPage';
import { CommitmentDetailPage } from './pages/CommitmentDetailPage';
import { CommitmentsPage } from './pages/CommitmentsPage';
import { DashboardPage } from './pages/DashboardPage';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { UsersPage } from './pages/UsersPage';
import type { Audience } from './session';

// The analysts' pages and the account page load on first use, so the dashboard a manager opens does not carry them.
const InboxPage = lazy(() => import('./pages/InboxPage').then((module) => ({ default: module.InboxPage })));
const EntryPage = lazy(() => import('./pages/EntryPage').then((module) => ({ default: module.EntryPage })));
const CommitmentCreatePage = lazy(() => import('./pages/CommitmentFormPage').then((module) => ({ default: module.CommitmentCreatePage })));
const CommitmentEditPage = lazy(() => import('./pages/CommitmentFormPage').then((module) => ({ default: module.CommitmentEditPage })));
const ImportPage = lazy(() => import('./pages/ImportPage').then((module) => ({ default: module.ImportPage })));
const CompaniesPage = lazy(() => import('./pages/CompaniesPage').then((module) => ({ default: module.CompaniesPage })));
const AccountPage = lazy(() => import('./pages/AccountPage').then((module) => ({ default: module.AccountPage })));
const ChipsPage = lazy(() => import('./pages/ChipsPage').then((module) => ({ default: module.ChipsPage })));
const NotificationsPage = lazy(() => import('./pages/NotificationsPage').then((module) => ({ default: module.NotificationsPage })));
const WebhooksPage = lazy(() => import('./pages/WebhooksPage').then((module) => ({ default: module.WebhooksPage })));
const MethodologyPage = lazy(() => import('./pages/MethodologyPage').then((module) => ({ default: module.MethodologyPage })));

const loading = (page: ReactNode) => <Suspense fallback={<Skeleton height={400} label="Loading the page…" />}>{page}</Suspense>;

/**
 * Pages shown in the top navigation, in order, each to the audience that may use it (a role includes those
 * below it). Visitors see the read-only pages; where the server does not open them, a read sends them to sign-in.
 * Add a page here and in ROUTES below.
 */
export const NAVIGATION: { path: string; label: string; audience: Audience }[] = [
  { path: '/', label: 'Dashboard', audience: 'visitor' },
  { path: '/commitments', label: 'Commitments', audience: 'visitor' },
  { path: '/inbox', label: 'Inbox', audience: 'analyst' },
  { path: '/entry', label: 'New entry', audience: 'analyst' },
  { path: '/commitments/new', label: 'New record', audience: 'analyst' },
  { path: '/import', label: 'Import', audience: 'analyst' },
  { path: '/catalog/companies', label: 'Companies', audience: 'analyst' },
  { path: '/catalog/chips', label: 'Chips', audience: 'analyst' },
  { path: '/users', label: 'Users', audience: 'admin' },
  { path: '/audit', label: 'Audit', audience: 'admin' },
  { path: '/webhooks', label: 'Webhooks', audience: 'admin' },
];

/** Every client-side route; the server answers any non-API path with index.html, so deep links land here. */
export const ROUTES: RouteObject[] = [
  {
    element: <Layout />,
    children: [
      { index: true, element: <DashboardPage /> },
      { path: 'login', element: <LoginPage /> },
      { path: 'commitments', element: <CommitmentsPage /> },
      { path: 'commitments/:id', element: <CommitmentDetailPage /> },
      { path: 'methodology', element: loading(<MethodologyPage />) },
      {
        element: <RequireRole role="viewer" />,
        children: [
          { path: 'account', element: loading(<AccountPage />) },
          { path: 'account/password', element: <ChangePasswordPage /> },
          { path: 'notifications', element: loading(<NotificationsPage />) },
        ],
      },
      {
        element: <RequireRole role="analyst" />,
        children: [
          { path: 'commitments/new', element: loading(<CommitmentCreatePage />) },
          { path: 'commitments/:id/edit', element: loading(<CommitmentEditPage />) },
          { path: 'inbox', element: loading(<InboxPage />) },
          { path: 'entry', element: loading(<EntryPage />) },
          { path: 'import', element: loading(<ImportPage />) },
          { path: 'catalog/companies', element: loading(<CompaniesPage />) },
          { path: 'catalog/chips', element: loading(<ChipsPage />) },
        ],
      },
      {
        element: <RequireRole role="admin" />,
        children: [
          { path: 'users', element: <UsersPage /> },
          { path: 'audit', element: <AuditPage /> },
          { path: 'webhooks', element: loading(<WebhooksPage />) },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
