import { describe, expect, it } from 'vitest';
import { alertNotification } from './alert-notifications';

const alert = (status: never, message = 'Do this.') =>
  alertNotification({ workspaceId: 'w' as never, e164: '+2348031234567' as never, status, message, at: 1 });

describe('alertNotification', () => {
  it.each([
    ['needs-attention', 'A WhatsApp number needs attention'],
    ['logged-out', 'A WhatsApp number was logged out'],
    ['replaced', 'WhatsApp was opened elsewhere'],
    ['banned', 'WhatsApp blocked a number'],
    ['update-required', 'Switchboard needs an update'],
    ['connected', 'Switchboard'],
  ])('%s -> %s, with the number and what to do', (status, title) => {
    expect(alert(status as never, 'Link it again.')).toEqual({
      title,
      body: '+234 803 123 4567: Link it again.',
    });
  });
});
