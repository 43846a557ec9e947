import type { CloudNumberActivity } from '../admin-types';
import type { CloudNumberField, CloudNumberFormValues, FieldErrors } from './cloud-number-form';
import { formatAgo, formatCount, formatDateTime } from './format';
import { href, html, type Html } from './html';
import { page } from './layout';
import { numeric, tableHead } from './table';

export interface CloudNumbersPageData {
  numbers: readonly CloudNumberActivity[];
  workspaces: readonly { id: string; name: string }[];
  /** False when the server has no secret key: nothing can be registered. */
  relayEnabled: boolean;
  /** Where Meta should send webhooks, as this browser reached the server. */
  callbackUrl: string;
  now: number;
  /** After a change (redirected here), or a refusal of the form. */
  notice?: { tone: 'ok' | 'bad'; text: string };
  form?: { values: CloudNumberFormValues; errors: FieldErrors };
}

export function cloudNumbersPage(data: CloudNumbersPageData): string {
  const { numbers, notice } = data;
  return page({
    title: 'Cloud numbers',
    signedIn: true,
    body: html`<h1>Cloud numbers</h1>
      <p class="sub">
        WhatsApp Cloud API numbers whose webhooks this server receives and holds for their workspace's PC.
        Meta's callback URL: <span class="mono">${data.callbackUrl}</span>
      </p>
      ${notice === undefined ? '' : html`<p class="notice ${notice.tone}" role="${notice.tone === 'bad' ? 'alert' : 'status'}">${notice.text}</p>`}
      <section class="card" aria-labelledby="cloud-numbers-title">
        <div class="card-head">
          <h2 id="cloud-numbers-title">Registered numbers</h2>
          <span class="note">queued: received here, not yet taken by the workspace's PC</span>
        </div>
        ${numbers.length === 0 ? html`<p class="empty">No Cloud number is registered yet.</p>` : numbersTable(numbers, data.now)}
      </section>
      <section class="card narrow" aria-labelledby="register-title">
        <div class="card-head"><h2 id="register-title">Register a number</h2></div>
        ${registerForm(data)}
      </section>`,
  });
}

function numbersTable(numbers: readonly CloudNumberActivity[], now: number): Html {
  return html`<table>
    ${tableHead(['phone_number_id', 'Workspace', 'Last webhook', numeric('Queued'), 'Registered', ''])}
    <tbody>
      ${numbers.map(
        (n) =>
          html`<tr data-cloud-number="${n.phoneNumberId}">
            <td class="mono">${n.phoneNumberId}</td>
            <td>
              <a href="${href(`/workspaces/${encodeURIComponent(n.workspaceId)}`)}">${n.workspaceName}</a>
            </td>
            <td>
              ${
                n.lastWebhookAt === null
                  ? html`<span
                      class="badge idle"
                      title="none held: acknowledged webhooks are dropped after 8 days"
                      >none</span
                    >`
                  : html`<span title="${formatDateTime(n.lastWebhookAt)}"
                      >${formatAgo(n.lastWebhookAt, now)}</span
                    >`
              }
            </td>
            <td class="num">
              ${n.queued > 0 ? html`<span class="badge warn">${formatCount(n.queued)}</span>` : html`<span class="muted">0</span>`}
            </td>
            <td>
              ${formatDateTime(n.createdAt)}
              ${n.updatedAt !== n.createdAt ? html`<div class="muted small">changed ${formatDateTime(n.updatedAt)}</div>` : ''}
            </td>
            <td class="num">
              <a href="${href(`/cloud-numbers/${encodeURIComponent(n.phoneNumberId)}/remove`)}">Remove…</a>
            </td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function registerForm(data: CloudNumbersPageData): Html {
  if (!data.relayEnabled)
    return html`<p class="notice bad">
      The webhook relay is off: this server was started without a secret key for App Secrets.
    </p>`;
  if (data.workspaces.length === 0)
    return html`<p class="empty">
      A number is registered to a workspace: make one first with an enrollment code on the
      <a href="/">overview</a>.
    </p>`;
  const values = data.form?.values ?? { phoneNumberId: '', workspaceId: '' };
  const errors = data.form?.errors ?? {};
  return html`<p class="muted small">
      From the Meta app's dashboard. Registering a phone_number_id that is already here moves it to the
      workspace chosen and replaces its secrets. The App Secret is stored encrypted and the verify token as a
      hash: neither is shown again.
    </p>
    <form method="post" action="/cloud-numbers" class="form-grid" novalidate>
      ${field('phoneNumberId', 'phone_number_id', errors, html`<input id="phoneNumberId" name="phoneNumberId" inputmode="numeric" maxlength="32" autocomplete="off" value="${values.phoneNumberId}" placeholder="e.g. 106540352242922" ${invalid('phoneNumberId', errors)} />`)}
      ${field(
        'workspaceId',
        'Workspace',
        errors,
        html`<select id="workspaceId" name="workspaceId" ${invalid('workspaceId', errors)}>
          <option value="">Choose a workspace</option>
          ${data.workspaces.map((w) => html`<option value="${w.id}" ${w.id === values.workspaceId ? html`selected` : ''}>${w.name}</option>`)}
        </select>`,
      )}
      ${field('appSecret', 'App Secret', errors, html`<input id="appSecret" name="appSecret" type="password" maxlength="200" autocomplete="off" ${invalid('appSecret', errors)} />`)}
      ${field('verifyToken', 'Verify token', errors, html`<input id="verifyToken" name="verifyToken" type="password" maxlength="200" autocomplete="off" ${invalid('verifyToken', errors)} />`)}
      <div><button type="submit">Register number</button></div>
    </form>`;
}

function field(name: CloudNumberField, label: string, errors: FieldErrors, control: Html): Html {
  const error = errors[name];
  return html`<div class="field">
    <label for="${name}">${label}</label>
    ${control} ${error === undefined ? '' : html`<div class="field-error" id="${name}-error">${error}</div>`}
  </div>`;
}

const invalid = (name: CloudNumberField, errors: FieldErrors): Html =>
  errors[name] === undefined ? html`` : html`aria-invalid="true" aria-describedby="${name}-error"`;

/** Removing takes a second step: the dashboard has no script for a confirm() prompt. */
export function removeCloudNumberPage(number: CloudNumberActivity): string {
  return page({
    title: `Remove ${number.phoneNumberId}`,
    signedIn: true,
    body: html`<p><a href="/cloud-numbers">← Cloud numbers</a></p>
      <div class="card narrow">
        <h1>Remove <span class="mono">${number.phoneNumberId}</span>?</h1>
        <p>
          Webhooks for it will no longer reach <strong>${number.workspaceName}</strong>: this server refuses
          them, or keeps them as unroutable while another registered number shares its Meta app.
          ${number.queued > 0 ? html`The ${formatCount(number.queued)} already queued stay for the workspace's PC to take.` : ''}
        </p>
        <form
          method="post"
          action="${href(`/cloud-numbers/${encodeURIComponent(number.phoneNumberId)}/remove`)}"
          class="row"
        >
          <button class="danger" type="submit">Remove number</button>
          <a href="/cloud-numbers">Cancel</a>
        </form>
      </div>`,
  });
}
