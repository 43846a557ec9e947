import { html, trustedHtml, type Html } from './html';
import { STYLESHEET } from './style';

/**
 * Built outside the `html` template on purpose: Prettier formats html`` templates and would re-indent
 * the stylesheet, and the Content-Security-Policy allows only the exact text STYLESHEET_HASH hashes.
 */
const STYLE_ELEMENT = trustedHtml(`<style>${STYLESHEET}</style>`);

export interface PageOptions {
  title: string;
  /** Show the signed-in header (navigation and sign out). */
  signedIn: boolean;
  body: Html;
}

export function page(options: PageOptions): string {
  const header = options.signedIn
    ? html`<header class="top">
        <div class="brand">Switchboard <span>Central</span></div>
        <nav>
          <a href="/">Overview</a><a href="/cloud-numbers">Cloud numbers</a><a href="/releases">Releases</a>
        </nav>
        <form method="post" action="/logout"><button class="quiet" type="submit">Sign out</button></form>
      </header>`
    : html`<header class="top">
        <div class="brand">Switchboard <span>Central</span></div>
      </header>`;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <link rel="icon" href="data:," />
        <title>${options.title} · Switchboard Central</title>
        ${STYLE_ELEMENT}
      </head>
      <body>
        ${header}
        <main>${options.body}</main>
      </body>
    </html> `.text;
}
