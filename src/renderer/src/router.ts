import { useEffect, useState } from 'react';

/** The screens, addressed by the URL fragment (works the same from file:// in Electron and over HTTP). */
export type Route =
  | { name: 'home' }
  | { name: 'conversations' }
  | { name: 'unanswered' }
  | { name: 'faqs' }
  | { name: 'logs' }
  | { name: 'settings' }
  | { name: 'pair'; phoneNumberId: string }
  | { name: 'new-workspace' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '').split('?')[0] ?? '';
  const [first, second] = path.split('/');
  switch (first) {
    case 'conversations':
    case 'unanswered':
    case 'faqs':
    case 'logs':
    case 'settings':
      return { name: first };
    case 'pair':
      return second !== undefined && second !== ''
        ? { name: 'pair', phoneNumberId: decodeURIComponent(second) }
        : { name: 'home' };
    case 'new':
      return { name: 'new-workspace' };
    default:
      return { name: 'home' };
  }
}

export function hrefOf(route: Route): string {
  switch (route.name) {
    case 'home':
      return '#/';
    case 'pair':
      return `#/pair/${encodeURIComponent(route.phoneNumberId)}`;
    case 'new-workspace':
      return '#/new';
    default:
      return `#/${route.name}`;
  }
}

export function navigate(route: Route): void {
  window.location.hash = hrefOf(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
