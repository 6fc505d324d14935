import { useSyncExternalStore } from 'react';

// One breakpoint for the whole app: below 768 px (phones, e.g. 390×844) the menu becomes a
// drawer, lists become cards and forms take one column.
const QUERY = '(max-width: 767.98px)';

function subscribe(onChange: () => void) {
  const mq = window.matchMedia(QUERY);
  mq.addEventListener('change', onChange);
  return () => mq.removeEventListener('change', onChange);
}

export function useIsMobile(): boolean {
  return useSyncExternalStore(subscribe, () => window.matchMedia(QUERY).matches, () => false);
}
