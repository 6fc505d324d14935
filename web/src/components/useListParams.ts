import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';

/**
 * List state (page, page size, search, filters) lives in the URL, so going back from a
 * detail page returns to the same page of the same filtered list, and a list can be shared.
 */
export function useListParams(defaultPageSize = 20) {
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = Math.min(200, Math.max(1, Number(params.get('pageSize')) || defaultPageSize));

  const get = useCallback((key: string) => params.get(key) ?? undefined, [params]);

  /** Changing any filter returns to page 1; empty values are removed from the URL. */
  const setFilters = useCallback((changes: Record<string, string | number | undefined | null>) => {
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      for (const [k, v] of Object.entries(changes)) {
        if (v === undefined || v === null || v === '') next.delete(k);
        else next.set(k, String(v));
      }
      if (!('page' in changes)) next.delete('page');
      return next;
    }, { replace: true });
  }, [setParams]);

  const setPage = useCallback((p: number, size?: number) => {
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      if (p > 1) next.set('page', String(p)); else next.delete('page');
      if (size && size !== defaultPageSize) next.set('pageSize', String(size)); else if (size) next.delete('pageSize');
      return next;
    });
  }, [setParams, defaultPageSize]);

  const all = useMemo(() => Object.fromEntries(params.entries()), [params]);
  return { page, pageSize, get, all, setFilters, setPage };
}
