import { useCallback } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import type { Role } from '@shared/roles';
import { api, setCsrfToken } from './client';
import type { Me, SetupStatus } from './types';

export const ME_KEY = ['me'] as const;
export const SETUP_STATUS_KEY = ['setup-status'] as const;

export async function fetchMe(): Promise<Me> {
  const me = await api.get<Me>('/api/me', undefined, { redirectOnAuth: false });
  setCsrfToken(me.csrfToken);
  return me;
}

/** The signed-in user; the query errors with 401 when there is no session. */
export function useMe() {
  return useQuery({ queryKey: ME_KEY, queryFn: fetchMe, retry: false, staleTime: 5 * 60_000 });
}

/** Inside the signed-in layout the user is always there. */
export function useCurrentUser(): Me {
  const { data } = useMe();
  if (!data) throw new Error('useCurrentUser outside the signed-in layout');
  return data;
}

export function hasRole(me: Pick<Me, 'role'>, roles: readonly Role[] | undefined): boolean {
  return !roles || roles.includes(me.role);
}

export function useSetupStatus() {
  return useQuery({
    queryKey: SETUP_STATUS_KEY,
    queryFn: () => api.get<SetupStatus>('/api/setup/status', undefined, { redirectOnAuth: false }),
    staleTime: Infinity,
    retry: 2,
  });
}

/** Signs out and forgets everything cached for this user. */
export function useLogout(): () => Promise<void> {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useCallback(async () => {
    try {
      await api.post('/api/auth/logout', {}, { redirectOnAuth: false });
    } catch {
      // the session may already be gone; leave anyway
    }
    setCsrfToken(null);
    queryClient.clear();
    navigate('/login', { replace: true });
  }, [queryClient, navigate]);
}
