import { describe, expect, it } from 'vitest';
import { createRouter, type Route } from './router';

const handler = () => Promise.resolve();
const routes: Route[] = [
  { method: 'GET', path: '/api/admin/workspaces', handler },
  { method: 'GET', path: '/api/admin/workspaces/:id', handler },
  { method: 'GET', path: '/api/admin/workspaces/:id/events', handler },
  { method: 'POST', path: '/api/v1/ingest', handler },
];

describe('createRouter', () => {
  const route = createRouter(routes);
  it('matches exact segments and decodes parameters', () => {
    expect(route('GET', '/api/admin/workspaces/a%2Fb/events')).toMatchObject({
      kind: 'found',
      params: { id: 'a/b' },
    });
    expect(route('HEAD', '/api/admin/workspaces')).toMatchObject({ kind: 'found' });
    expect(route('GET', '/api/admin/workspaces/')).toEqual({ kind: 'not-found' });
    expect(route('GET', '/api/admin/workspaces/%E0%A4%A/events')).toEqual({ kind: 'not-found' });
  });
  it('tells a wrong method from a missing path', () => {
    expect(route('GET', '/api/v1/ingest')).toEqual({ kind: 'wrong-method', allowed: ['POST'] });
    expect(route('POST', '/nope')).toEqual({ kind: 'not-found' });
  });
});
