import { formatPhone } from '../../shared/format-phone';
import type { InstallationSummary, WorkspaceSummary } from '../admin-types';
import { messagesChart } from './chart';
import { formatAgo, formatCount, formatDateTime, lastSeenTone, statusTone } from './format';
import { href, html, type Html } from './html';
import { page } from './layout';
import { numeric, tableHead } from './table';

export function overviewPage(data: {
  workspaces: readonly WorkspaceSummary[];
  installations: readonly InstallationSummary[];
  now: number;
  /** The database reported damage (writes are refused): said first, with what to do. */
  damaged?: string | null;
}): string {
  const { workspaces, installations, now } = data;
  const numbers = workspaces.flatMap((w) => w.numbers);
  const connected = numbers.filter((n) => n.status === 'connected').length;
  const errors = workspaces.reduce((sum, w) => sum + w.errorsLast24h, 0);
  const enrolled = workspaces.filter((w) => w.installations.length > 0).length;

  return page({
    title: 'Overview',
    signedIn: true,
    body: html`<h1>Overview</h1>
      ${data.damaged == null ? '' : html`<p class="notice bad" role="alert">The central database is damaged (${data.damaged}). It takes no more writes: uploads, enrollments and changes are refused until it is restored from a backup. Stop the server, restore the latest backup, start it again.</p>`}
      <p class="sub">Times are UTC. An installation that has not pushed for 15 minutes is marked quiet.</p>
      <section class="stats">
        ${stat(formatCount(workspaces.length), `workspaces (${enrolled} enrolled)`)}
        ${stat(formatCount(installations.length), 'installations')}
        ${stat(`${connected} / ${numbers.length}`, 'numbers connected')}
        ${stat(formatCount(errors), 'errors in the last 24 h')}
      </section>
      <section class="card" aria-labelledby="workspaces-title">
        <div class="card-head">
          <h2 id="workspaces-title">Workspaces</h2>
          <span class="note">messages per day over 14 days</span>
        </div>
        ${workspaces.length === 0 ? html`<p class="empty">No workspaces yet: make an enrollment code below.</p>` : workspaceTable(workspaces, now)}
      </section>
      <div class="grid2">
        <section class="card" aria-labelledby="installations-title">
          <div class="card-head"><h2 id="installations-title">Installations</h2></div>
          ${installations.length === 0 ? html`<p class="empty">No installation has enrolled yet.</p>` : installationTable(installations, now)}
        </section>
        <section class="card" aria-labelledby="enroll-title">
          <div class="card-head"><h2 id="enroll-title">New enrollment code</h2></div>
          <p class="muted small">
            Makes a workspace here and a one-time code that links a shop's workspace to it.
          </p>
          <form method="post" action="/enrollments" class="row">
            <div class="field wide">
              <label for="workspaceName">Workspace name</label>
              <input
                id="workspaceName"
                name="workspaceName"
                maxlength="200"
                required
                placeholder="e.g. Chidi Pharmacy, Yaba"
              />
            </div>
            <div class="field">
              <label for="validForHours">Valid for</label>
              <select id="validForHours" name="validForHours">
                <option value="24">1 day</option>
                <option value="72" selected>3 days</option>
                <option value="168">7 days</option>
              </select>
            </div>
            <button type="submit">Make code</button>
          </form>
        </section>
      </div>`,
  });
}

const stat = (value: string, label: string): Html =>
  html`<div class="stat">
    <div class="value">${value}</div>
    <div class="label">${label}</div>
  </div>`;

const WORKSPACE_COLUMNS = [
  'Workspace',
  'Installation',
  'Last seen',
  'Numbers',
  'Messages',
  numeric('Errors 24 h'),
  numeric('Backlog'),
];

function workspaceTable(workspaces: readonly WorkspaceSummary[], now: number): Html {
  return html`<table>
    ${tableHead(WORKSPACE_COLUMNS)}
    <tbody>
      ${workspaces.map((w) => {
        const total = w.messagesPerDay.reduce((sum, d) => sum + d.in + d.out, 0);
        return html`<tr data-workspace="${w.id}">
          <td>
            <a href="${href(`/workspaces/${encodeURIComponent(w.id)}`)}"><strong>${w.name}</strong></a>
            ${w.installations.map((i) => html`<div class="muted small">“${i.localName}”</div>`)}
          </td>
          <td>
            ${w.installations.length === 0 ? pending(w) : w.installations.map((i) => html`<div>${i.name}</div>`)}
          </td>
          <td>${lastSeen(w.lastSeenAt, now)}</td>
          <td>
            <div class="badges">
              ${w.numbers.length === 0 ? html`<span class="muted">—</span>` : w.numbers.map((n) => html`<span class="badge ${statusTone(n.status)}" title="${n.provider}, since ${formatDateTime(n.updatedAt)}">${formatPhone(n.number)} · ${n.status}</span>`)}
            </div>
          </td>
          <td>
            ${messagesChart(w.messagesPerDay, { width: 112, height: 26, labels: false })}
            <div class="muted small">${formatCount(total)} in 14 days</div>
          </td>
          <td class="num">
            ${w.errorsLast24h > 0 ? html`<a class="badge bad" href="${href(`/workspaces/${encodeURIComponent(w.id)}`, { level: 'error' })}">${formatCount(w.errorsLast24h)}</a>` : html`<span class="muted">0</span>`}
          </td>
          <td class="num">
            ${w.backlog > 0 ? html`<span class="badge warn">${formatCount(w.backlog)}</span>` : html`<span class="muted">0</span>`}
          </td>
        </tr>`;
      })}
    </tbody>
  </table>`;
}

function pending(w: WorkspaceSummary): Html {
  if (w.pendingEnrollment === null) return html`<span class="muted">not enrolled</span>`;
  return w.pendingEnrollment.expired
    ? html`<span class="badge bad">code expired</span>`
    : html`<span class="badge idle">waiting for enrollment</span>`;
}

export function lastSeen(ts: number | null, now: number): Html {
  if (ts === null) return html`<span class="badge idle">never</span>`;
  const tone = lastSeenTone(ts, now);
  return html`<span class="badge ${tone}" title="${formatDateTime(ts)}">${formatAgo(ts, now)}</span>`;
}

function installationTable(installations: readonly InstallationSummary[], now: number): Html {
  return html`<table>
    ${tableHead(['Installation', 'Version', 'Workspaces', 'Last seen'])}
    <tbody>
      ${installations.map(
        (i) =>
          html`<tr data-installation="${i.id}">
            <td>
              <strong>${i.name}</strong>
              <div class="mono muted" title="${i.id}">${i.id.slice(0, 12)}</div>
            </td>
            <td>
              ${i.appVersion}
              <div class="muted small">${i.platform}</div>
            </td>
            <td>
              ${i.workspaces.map((w) => html`<div><a href="${href(`/workspaces/${encodeURIComponent(w.id)}`)}">${w.name}</a></div>`)}
            </td>
            <td>${lastSeen(i.lastSeenAt, now)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}
