import { html } from './html';
import { page } from './layout';

export function errorPage(title: string, message: string, signedIn: boolean): string {
  return page({
    title,
    signedIn,
    body: html`<div class="card">
      <h1>${title}</h1>
      <p>${message}</p>
      <p><a href="/">Back to the overview</a></p>
    </div>`,
  });
}
