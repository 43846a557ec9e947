import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { html } from './html';
import { page } from './layout';
import { DASHBOARD_CSP, STYLESHEET_HASH } from './style';

describe('page', () => {
  it('carries exactly the one style block the Content-Security-Policy allows, and no script', () => {
    const text = page({ title: 'T', signedIn: true, body: html`<p>body</p>` });
    const blocks = [...text.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
    expect(blocks).toHaveLength(1);
    expect(`sha256-${createHash('sha256').update(blocks[0]!).digest('base64')}`).toBe(STYLESHEET_HASH);
    expect(DASHBOARD_CSP).toContain(`'${STYLESHEET_HASH}'`);
    expect(text).not.toMatch(/<script|style="/);
  });
});
