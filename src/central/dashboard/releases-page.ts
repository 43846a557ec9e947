import { LATEST_MIGRATION } from '../../core/store/migrations/index';
import type { ReleaseState } from '../../core/updates/index';
import type { UpdateRelease } from '../update-releases';
import { formatCount, formatDateTime } from './format';
import { html, type Html } from './html';
import { page } from './layout';
import { tableHead } from './table';

export interface ReleasesPageData {
  releases: readonly UpdateRelease[];
  workspaces: readonly { id: string; name: string }[];
  notice?: { tone: 'ok' | 'bad'; text: string };
}

const STATE: Record<ReleaseState, { tone: string; label: string }> = {
  live: { tone: 'ok', label: 'Live' },
  paused: { tone: 'warn', label: 'Paused' },
  'rolled-back': { tone: 'bad', label: 'Rolled back' },
};

const PLATFORM: Record<string, string> = {
  win: 'Windows',
  mac: 'macOS',
  linux: 'Linux',
  'linux-arm64': 'Linux (ARM)',
};

/** The desktop releases this server offers, and who gets each one. */
export function releasesPage(data: ReleasesPageData): string {
  const { notice } = data;
  return page({
    title: 'Releases',
    signedIn: true,
    body: html`<h1>Releases</h1>
      <p class="sub">
        New versions of the Switchboard app. Each PC gets the newest live release it is in: a share of all PCs
        (the same PCs every time) plus the shops you pick. Pause stops new downloads; roll back sends PCs on
        that version back to the one before.
      </p>
      ${notice === undefined ? '' : html`<p class="notice ${notice.tone}" role="${notice.tone === 'bad' ? 'alert' : 'status'}">${notice.text}</p>`}
      <section class="card" aria-labelledby="releases-title">
        <div class="card-head">
          <h2 id="releases-title">Uploaded releases</h2>
          <span class="note">or from a terminal: npm run central:release -- upload dist/latest.yml</span>
        </div>
        ${data.releases.length === 0 ? html`<p class="empty">No release uploaded yet.</p>` : releasesTable(data)}
      </section>
      ${uploadForm()}`,
  });
}

/**
 * The files `npm run dist` wrote: latest*.yml first (the browser sends fields in this order, and the
 * server needs the version and sha512 before the installer streams in), then the installer it names.
 */
function uploadForm(): Html {
  return html`<section class="card" aria-labelledby="upload-title">
    <div class="card-head"><h2 id="upload-title">Upload a release</h2></div>
    <form
      class="row"
      method="post"
      action="/releases/upload"
      enctype="multipart/form-data"
      aria-label="Upload a release"
    >
      <label class="field"
        ><span class="small">latest.yml (or latest-mac.yml, latest-linux.yml) from dist/</span>
        <input name="channel" type="file" accept=".yml" required
      /></label>
      <label class="field"
        ><span class="small">Release notes (optional)</span> <input name="notes" type="text" maxlength="2000"
      /></label>
      <label class="field"
        ><span class="small">Newest store migration of the build</span>
        <input name="storeSchema" type="text" maxlength="100" value="${LATEST_MIGRATION}"
      /></label>
      <label class="field"
        ><span class="small">The installer it names (for example Switchboard-Setup-1.5.0.exe)</span>
        <input name="installer" type="file" required
      /></label>
      <button type="submit">Upload</button>
    </form>
    <p class="small muted">A new release reaches no PC until you set who gets it.</p>
  </section>`;
}

function releasesTable(data: ReleasesPageData): Html {
  const nameOf = (id: string): string => data.workspaces.find((w) => w.id === id)?.name ?? id;
  return html`<div class="scroll">
    <table>
      ${tableHead(['Version', 'Platform', 'State', 'Who gets it', 'Uploaded', 'Change'])}
      <tbody>
        ${data.releases.map(
          (r) =>
            html`<tr data-release="${r.version}">
              <td>
                <strong>${r.version}</strong>
                <div class="small muted mono">
                  ${r.fileName} · ${formatCount(Math.round(r.size / 1024))} KB
                </div>
              </td>
              <td>${PLATFORM[r.platform] ?? r.platform}</td>
              <td><span class="badge ${STATE[r.state].tone}">${STATE[r.state].label}</span></td>
              <td>
                ${r.percent}% of PCs
                ${r.workspaceIds.length > 0 ? html`<div class="small muted">and ${r.workspaceIds.map(nameOf).join(', ')}</div>` : ''}
              </td>
              <td class="small">${formatDateTime(r.createdAt)}</td>
              <td>${actions(r, data.workspaces)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function actions(r: UpdateRelease, workspaces: ReleasesPageData['workspaces']): Html {
  const stateButton = (action: string, label: string, tone = '') =>
    html`<form method="post" action="/releases/${r.id}/${action}">
      <button type="submit" class="${tone}">${label}</button>
    </form>`;
  return html`<form class="row" method="post" action="/releases/${r.id}/rollout">
      <label class="field"
        ><span class="small">Share of PCs (%)</span>
        <input name="percent" type="number" min="0" max="100" step="1" value="${r.percent}" required
      /></label>
      <label class="field"
        ><span class="small">Always for these shops</span>
        <select name="workspace" multiple size="${Math.min(4, Math.max(2, workspaces.length))}">
          ${workspaces.map(
            (w) =>
              html`<option value="${w.id}" ${r.workspaceIds.includes(w.id) ? html`selected` : ''}>
                ${w.name}
              </option>`,
          )}
        </select></label
      >
      <button type="submit">Save rollout</button>
    </form>
    <div class="row">
      ${r.state === 'live' ? stateButton('pause', 'Pause') : stateButton('resume', 'Make live again')}
      ${r.state === 'rolled-back' ? '' : stateButton('rollback', 'Roll back', 'danger')}
    </div>`;
}
