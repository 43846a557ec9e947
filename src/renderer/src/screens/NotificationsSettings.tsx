import { useState } from 'react';
import { SwitchRow } from '../components/Field';
import { useApp } from '../state/app-context';
import { useAttention } from '../state/attention';

const DISMISSED_KEY = 'switchboard.notificationsHintDismissed';

/** What notifications do, for the hint and the Settings section: in the owner's words. */
const WHY =
  'Switchboard can show a notification on this computer when a customer needs you, even while this tab is in the background.';

/**
 * On the Conversations screen, in a browser that has not been asked yet: the explained button that
 * asks for notification permission (browsers only show the question after a click, never on load).
 */
export function NotificationsHint() {
  const { info } = useApp();
  const { permission } = useAttention();
  const [dismissed, setDismissed] = useState(() => readDismissed());
  if (info.shell !== 'browser' || permission !== 'default' || dismissed) return null;
  return (
    <div className="notify-hint card" role="region" aria-label="Notifications">
      <div className="notify-hint__text">
        <strong>Get told when a customer needs you</strong>
        <span className="muted">{WHY}</span>
      </div>
      <div className="notify-hint__actions">
        <TurnOnButton primary />
        <button
          className="button button--ghost button--small"
          type="button"
          onClick={() => {
            setDismissed(true);
            try {
              localStorage.setItem(DISMISSED_KEY, '1');
            } catch {
              // shown again next time; fine
            }
          }}
        >
          Not now
        </button>
      </div>
    </div>
  );
}

/** Asks the browser for permission: only ever from this click, so the owner knows why it asks. */
function TurnOnButton({ primary = false }: { primary?: boolean }) {
  const { requestPermission } = useAttention();
  return (
    <button
      className={`button ${primary ? 'button--primary' : 'button--secondary'} button--small`}
      type="button"
      onClick={() => void requestPermission()}
    >
      Turn on notifications
    </button>
  );
}

function readDismissed(): boolean {
  try {
    return localStorage.getItem(DISMISSED_KEY) === '1';
  } catch {
    return false;
  }
}

/** Settings, "Notifications on this computer": permission (browser), the chime, a test. */
export function NotificationsSection() {
  const { info } = useApp();
  const { permission, sound, setSound, testSound } = useAttention();
  return (
    <section className="card settings__section" aria-label="Notifications on this computer">
      <h2 className="card__title card__title--small">Notifications on this computer</h2>
      {info.shell === 'desktop' ? (
        <p className="muted">
          The desktop app shows a notification when a customer needs you, and the number of chats waiting on
          its icon. Click a notification to open that chat.
        </p>
      ) : permission === 'granted' ? (
        <p className="muted">Notifications are on in this browser. Click one to open that chat.</p>
      ) : permission === 'denied' ? (
        <p className="muted">
          This browser blocks notifications from Switchboard. To get them, allow notifications for this page
          in the browser&rsquo;s site settings (the icon left of the address), then reload.
        </p>
      ) : permission === 'unsupported' ? (
        <p className="muted">
          This browser cannot show notifications. The tab title still counts the chats waiting for you.
        </p>
      ) : (
        <div className="notify-row">
          <p className="muted">{WHY} Your browser will ask you to allow it.</p>
          <TurnOnButton />
        </div>
      )}
      <SwitchRow
        title="Play a sound when a customer needs you"
        hint="A short chime, on this computer only."
        checked={sound}
        onChange={setSound}
      />
      <button
        className="button button--secondary button--small notify-test"
        type="button"
        onClick={testSound}
      >
        Play the sound
      </button>
    </section>
  );
}
