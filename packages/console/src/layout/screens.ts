import { lazy } from 'react';
import type { Session } from '../auth/session.js';

/** Every screen but the flags list is its own chunk, loaded when first opened. */
export const FlagDetailScreen = lazy(() => import('../screens/flags/flag-detail-screen.js'));
export const HistoryScreen = lazy(() => import('../screens/history/history-screen.js'));
export const AuditScreen = lazy(() => import('../screens/audit/audit-screen.js'));
export const AnalyticsScreen = lazy(() => import('../screens/analytics/analytics-screen.js'));
export const StaleScreen = lazy(() => import('../screens/stale/stale-screen.js'));
export const ApiKeysScreen = lazy(() => import('../screens/api-keys/api-keys-screen.js'));

export interface NavEntry {
  href: string;
  label: string;
  /** Whether the signed-in key may open it. */
  shownTo(session: Session): boolean;
}

/** The navigation, in order; `/` is the flags list. */
export const NAVIGATION: readonly NavEntry[] = [
  { href: '/', label: 'Flags', shownTo: () => true },
  { href: '/audit', label: 'Audit log', shownTo: () => true },
  { href: '/analytics', label: 'Analytics', shownTo: () => true },
  { href: '/stale', label: 'Stale flags', shownTo: () => true },
  { href: '/api-keys', label: 'API keys', shownTo: (session) => session.canManageKeys },
];
