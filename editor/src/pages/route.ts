import { useSyncExternalStore } from 'react';

/** The id of the flow canvas in the navigation; every other id names a page of the registry. */
export const FLOWS_PAGE = 'flows';

/** Where the editor is: `#/devices/pk1/dk1` → { page: 'devices', params: ['pk1', 'dk1'] }. */
export interface Route {
  page: string;
  params: string[];
}

/** Reads a location hash; an empty or unknown-shaped hash is the flow canvas. */
export function parseHash(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  const parts = path
    .split('/')
    .filter((p) => p !== '')
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        // A malformed escape is kept as typed rather than breaking navigation.
        return p;
      }
    });
  const [page, ...params] = parts;
  return { page: page ?? FLOWS_PAGE, params };
}

/** The hash for a page and its parameters, each parameter escaped. */
export function hashFor(page: string, ...params: string[]): string {
  return `#/${[page, ...params].map(encodeURIComponent).join('/')}`;
}

/** Goes to a page (adds a browser history entry, so Back works). */
export function navigate(page: string, ...params: string[]): void {
  window.location.hash = hashFor(page, ...params);
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

/** The current route; re-renders when the hash changes. */
export function useHashRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  // parseHash is cheap; the hash string is the stable snapshot.
  return parseHash(hash);
}
