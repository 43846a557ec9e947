import { html } from './html';
import { page } from './layout';

export function loginPage(options: { refused: boolean }): string {
  return page({
    title: 'Sign in',
    signedIn: false,
    body: html`<div class="login card">
      <h1>Sign in</h1>
      <p class="sub">
        Enter the admin token the central server printed when it first started (it is also in
        <span class="mono">central-admin-token</span> in its data folder).
      </p>
      ${options.refused ? html`<p class="notice bad" role="alert">That token was not accepted.</p>` : ''}
      <form method="post" action="/login">
        <label for="token">Admin token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required autofocus />
        <button type="submit">Sign in</button>
      </form>
    </div>`,
  });
}
