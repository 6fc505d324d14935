import { Suspense, useEffect, type ReactNode } from 'react';
import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { BrowserRouter, Navigate, Outlet, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { ApiError, onAuthProblem } from './api/client';
import { ME_KEY, useMe, useSetupStatus } from './api/session';
import { I18nProvider } from './i18n/I18nProvider';
import type { LoadedLocale } from './i18n';
import { MODULES, PUBLIC_PAGES } from './routes';
import { AppLayout } from './layout/AppLayout';
import { ErrorBoundary } from './components/ErrorBoundary';
import { ErrorResult, PageNotFound, PageSpinner } from './components/QueryState';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // a 4xx will not change on retry; a dropped connection might
      retry: (count, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 2,
      // phones on metered, weak networks: no refetch just because the tab got focus again
      refetchOnWindowFocus: false,
      staleTime: 30_000,
    },
  },
});

/** Sends the user to the login or change-password page when the API says so. */
function AuthBridge() {
  const navigate = useNavigate();
  const location = useLocation();
  const client = useQueryClient();
  useEffect(() => {
    onAuthProblem((problem) => {
      if (problem === 'login') {
        client.removeQueries({ queryKey: ME_KEY });
        if (location.pathname !== '/login') navigate(`/login?from=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
      } else {
        void client.invalidateQueries({ queryKey: ME_KEY });
        navigate('/change-password', { replace: true });
      }
    });
  }, [navigate, location, client]);
  return null;
}

/** An empty database opens the first-run page; an initialized one never shows it again. */
function SetupGate({ children }: { children: ReactNode }) {
  const status = useSetupStatus();
  const { pathname } = useLocation();
  if (status.isLoading) return <PageSpinner />;
  if (status.error || !status.data) return <ErrorResult error={status.error} retry={() => status.refetch()} />;
  if (!status.data.initialized && pathname !== '/setup') return <Navigate to="/setup" replace />;
  // while the first-run page loads the demo the county is already in: the page stays until it ends
  if (status.data.initialized && !status.data.demoLoading && pathname === '/setup') return <Navigate to="/login" replace />;
  return <>{children}</>;
}

function RequireSession() {
  const me = useMe();
  const location = useLocation();
  if (me.isLoading) return <PageSpinner />;
  if (me.error instanceof ApiError && me.error.status === 401) {
    return <Navigate to={`/login?from=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  }
  if (me.error || !me.data) return <ErrorResult error={me.error} retry={() => me.refetch()} />;
  if (me.data.mustChangePassword) return <Navigate to="/change-password" replace />;
  return <AppLayout />;
}

function PublicShell() {
  const { pathname } = useLocation();
  return (
    <ErrorBoundary resetKey={pathname}>
      <Suspense fallback={<PageSpinner />}>
        <Outlet />
      </Suspense>
    </ErrorBoundary>
  );
}

export function App({ locale }: { locale: LoadedLocale }) {
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider initial={locale}>
          <BrowserRouter>
            <AuthBridge />
            <SetupGate>
              <Routes>
                <Route element={<PublicShell />}>
                  <Route path="/setup" element={<PUBLIC_PAGES.setup />} />
                  <Route path="/login" element={<PUBLIC_PAGES.login />} />
                  <Route path="/change-password" element={<PUBLIC_PAGES.changePassword />} />
                </Route>
                <Route element={<RequireSession />}>
                  {MODULES.flatMap((m) => m.pages.map(({ path, page: Page }) => <Route key={path} path={path} element={<Page />} />))}
                  <Route path="*" element={<PageNotFound />} />
                </Route>
              </Routes>
            </SetupGate>
          </BrowserRouter>
      </I18nProvider>
    </QueryClientProvider>
  );
}
