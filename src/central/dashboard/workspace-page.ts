import { formatPhone } from '../../shared/format-phone';
import type { CentralEvent, EventsPage, EventsQuery, WorkspaceSummary } from '../admin-types';
import { messagesChart } from './chart';
import { formatAgo, formatCount, formatDateTime, formatTime, levelTone, statusTone } from './format';
import { href, html, type Html } from './html';
import { page } from './layout';
import { numeric, tableHead } from './table';
import { lastSeen } from './overview-page';

/** The level filter's choices: each shows that level and the ones above it. */
const LEVEL_CHOICES: readonly { label: string; value: string | undefined }[] = [
  { label: 'All levels', value: undefined },
  { label: 'Info and above', value: 'info,warn,error' },
  { label: 'Warnings and errors', value: 'warn,error' },
  { label: 'Errors', value: 'error' },
];

export function workspacePage(data: {
  workspace: WorkspaceSummary;
  events: EventsPage;
  query: EventsQuery;
  now: number;
}): string {
  const { workspace: w, events, query, now } = data;
  const base = `/workspaces/${encodeURIComponent(w.id)}`;
  const level = query.level?.join(',');
  const filters = { level, type: query.type, installation: query.installation };
  const totalIn = w.messagesPerDay.reduce((sum, d) => sum + d.in, 0);
  const totalOut = w.messagesPerDay.reduce((sum, d) => sum + d.out, 0);

  return page({
    title: w.name,
    signedIn: true,
    body: html`<p><a href="/">← Overview</a></p>
      <h1>${w.name}</h1>
      <p class="sub">${subtitle(w, now)}</p>
      <div class="grid2">
        <section class="card" aria-labelledby="numbers-title">
          <div class="card-head">
            <h2 id="numbers-title">Numbers</h2>
            <span class="note">as last reported</span>
          </div>
          ${numbersTable(w, now)}
          <p class="small">
            ${
              w.errorsLast24h > 0
                ? html`<a class="badge bad" href="${href(base, { level: 'error' })}"
                    >${formatCount(w.errorsLast24h)} ${w.errorsLast24h === 1 ? 'error' : 'errors'} in the last
                    24 h</a
                  >`
                : html`<span class="badge ok">no errors in the last 24 h</span>`
            }
          </p>
        </section>
        <section class="card" aria-labelledby="messages-title">
          <div class="card-head">
            <h2 id="messages-title">Messages per day</h2>
            <span class="note"
              >${formatCount(totalIn)} in, ${formatCount(totalOut)} out over 14 days (UTC)</span
            >
          </div>
          ${messagesChart(w.messagesPerDay, { width: 520, height: 150, labels: true })}
          <div class="legend">
            <span><i class="in"></i>received</span><span><i class="out"></i>sent</span>
          </div>
        </section>
      </div>
      <section class="card" aria-labelledby="events-title">
        <div class="card-head">
          <h2 id="events-title">Events</h2>
          <span class="note">newest first, by sequence number</span>
        </div>
        ${eventsFilter(base, level, query.type)}
        ${
          events.events.length === 0
            ? html`<p class="empty">
                No
                events${query.before !== undefined ? ' before this point' : ''}${level !== undefined || query.type !== undefined ? ' match the filter' : ''}.
              </p>`
            : eventsTable(events.events)
        }
        <nav class="pager" aria-label="Pages">
          ${query.before !== undefined ? html`<a href="${href(base, filters)}">« Newest</a>` : ''}
          ${events.nextBefore !== null ? html`<a rel="next" href="${href(base, { ...filters, before: events.nextBefore })}">Older »</a>` : ''}
        </nav>
      </section>`,
  });
}

/** The numbers as last reported: state, since when, and when it was reported. */
function numbersTable(w: WorkspaceSummary, now: number): Html {
  return w.numbers.length === 0
    ? html`<p class="empty">No number reported yet.</p>`
    : html`<table>
        ${tableHead(['Number', 'State', 'Since', 'Reported'])}
        <tbody>
          ${w.numbers.map(
            (n) =>
              html`<tr data-number="${n.number}">
                <td>
                  ${formatPhone(n.number)}
                  <div class="muted small">${n.provider}</div>
                </td>
                <td><span class="badge ${statusTone(n.status)}">${n.status}</span></td>
                <td title="${formatDateTime(n.updatedAt)}">${formatAgo(n.updatedAt, now)}</td>
                <td title="${formatDateTime(n.reportedAt)}">${formatAgo(n.reportedAt, now)}</td>
              </tr>`,
          )}
        </tbody>
      </table>`;
}

/** The events filter: a level and an event type (a trailing * matches a prefix). */
function eventsFilter(base: string, level: string | undefined, type: string | undefined): Html {
  return html`<form method="get" action="${base}" class="row">
    <div class="field">
      <label for="level">Level</label>
      <select id="level" name="level">
        ${LEVEL_CHOICES.map(
          (c) =>
            html`<option value="${c.value ?? ''}" ${c.value === level ? html`selected` : ''}>
              ${c.label}
            </option>`,
        )}
      </select>
    </div>
    <div class="field wide">
      <label for="type">Type</label>
      <input
        id="type"
        name="type"
        value="${type ?? ''}"
        placeholder="message.received or message.*"
        maxlength="100"
      />
    </div>
    <button type="submit">Filter</button>
    ${level !== undefined || type !== undefined ? html`<a href="${base}">Clear</a>` : ''}
  </form>`;
}

function subtitle(w: WorkspaceSummary, now: number): Html {
  if (w.installations.length === 0) {
    const pending = w.pendingEnrollment;
    return html`Not enrolled
    yet${pending === null ? '' : pending.expired ? ' (its code has expired: make a new one)' : html`; its code expires ${formatDateTime(pending.expiresAt)}`}.`;
  }
  return html`${w.installations.map(
    (i) =>
      html`Pushed by <strong>${i.name}</strong> as “${i.localName}” (enrolled ${formatDateTime(i.enrolledAt)})
        · `,
  )}last
  seen ${lastSeen(w.lastSeenAt, now)} · backlog ${formatCount(w.backlog)}`;
}

function eventsTable(events: readonly CentralEvent[]): Html {
  return html`<table>
    ${tableHead(['Time (UTC)', numeric('Seq'), 'Level', 'Type', 'Message'])}
    <tbody>
      ${events.map(
        (e) =>
          html`<tr data-seq="${e.seq}">
            <td class="mono">${formatTime(e.ts)}</td>
            <td class="num mono">${e.seq}</td>
            <td><span class="badge ${levelTone(e.level)}">${e.level}</span></td>
            <td class="mono">${e.type}</td>
            <td class="ev-message">
              ${e.message}${e.contactId !== null ? html` <span class="muted small">· ${e.contactId}</span>` : ''}
              ${
                e.text !== null
                  ? html`<details>
                      <summary>message text</summary>
                      <pre>${e.text}</pre>
                    </details>`
                  : ''
              }
              ${
                e.meta !== null
                  ? html`<details>
                      <summary>details</summary>
                      <pre>${prettyJson(e.meta)}</pre>
                    </details>`
                  : ''
              }
            </td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
