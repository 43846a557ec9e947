import { describe, expect, it } from 'vitest';
import { escapeHtml, href, html, trustedHtml } from './html';

describe('html', () => {
  it('escapes every interpolated value unless it is Html itself', () => {
    const name = `<script>alert("x")</script> & 'y'`;
    const inner = html`<b>${name}</b>`;
    expect(html`<p title="${name}">${inner}${[name, 1]}${null}${undefined}${false}</p>`.text).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;">' +
        '<b>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;</b>' +
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;1</p>',
    );
    expect(html`${trustedHtml('<style>a{}</style>')}`.text).toBe('<style>a{}</style>');
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });

  it('builds same-site links with encoded query strings', () => {
    expect(href('/workspaces/a%20b', { level: 'warn,error', type: undefined, before: 40 })).toBe(
      '/workspaces/a%20b?level=warn%2Cerror&before=40',
    );
    expect(href('/')).toBe('/');
  });
});
