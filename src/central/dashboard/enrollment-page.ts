import type { CreateEnrollmentResponse } from '../../shared/sync-protocol';
import { formatDateTime } from './format';
import { href, html } from './html';
import { page } from './layout';

/** The code is shown here once: only its hash is stored. */
export function enrollmentCreatedPage(workspaceName: string, created: CreateEnrollmentResponse): string {
  return page({
    title: 'Enrollment code',
    signedIn: true,
    body: html`<p><a href="/">← Overview</a></p>
      <div class="card">
        <h1>Enrollment code for ${workspaceName}</h1>
        <p class="sub">
          Enter this code in the workspace's sync settings on the shop's PC. It links one workspace, once, and
          expires on ${formatDateTime(created.expiresAt)}.
        </p>
        <div class="code" data-testid="enrollment-code">${created.code}</div>
        <p class="notice warn">Copy it now: it is not stored and will not be shown again.</p>
        <p>
          <a href="${href(`/workspaces/${encodeURIComponent(created.workspaceId)}`)}">Open the workspace</a>
        </p>
      </div>`,
  });
}
