import { useSyncExternalStore } from 'react';

const subscribe = (cb: () => void) => {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
};

/** Split a hash into decoded segments; the default route is the gateway list. */
export function parseRoute(hash: string): string[] {
  const parts = hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
  return parts.length ? parts : ['gateways'];
}

/** The current route as path segments of the hash: `#/gateways/crane-7` → ['gateways', 'crane-7']. */
export function useRoute(): string[] {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}

/** The hash link for a route. */
export const href = (...parts: string[]): string => '#/' + parts.map(encodeURIComponent).join('/');

/** Go to a route. */
export function navigate(...parts: string[]): void {
  window.location.hash = href(...parts);
}
