import { useState } from 'react';
import { errorMessage } from '../client/client';
import { useApp } from '../state/app-context';

/** Settings of this computer rather than the business: start at login (desktop), the version. */
export function ThisComputer() {
  const { client, info } = useApp();
  const [startAtLogin, setStartAtLogin] = useState(info.startAtLogin);
  const [error, setError] = useState<string | null>(null);
  const toggle = async (enabled: boolean) => {
    setError(null);
    try {
      setStartAtLogin((await client.invoke('app.setStartAtLogin', { enabled })).startAtLogin);
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };
  return (
    <section className="card settings__section">
      <h2 className="card__title card__title--small">This computer</h2>
      {info.shell === 'desktop' && startAtLogin !== null ? (
        <label className="switch switch--row">
          <input
            type="checkbox"
            role="switch"
            checked={startAtLogin}
            onChange={(e) => void toggle(e.target.checked)}
          />
          <span className="switch__track" aria-hidden="true" />
          <span>
            <strong>Start Switchboard when I log in</strong>
            <span className="field__hint">
              Recommended: customers get answers even if you forget to open it.
            </span>
          </span>
        </label>
      ) : (
        <p className="muted">
          {info.shell === 'desktop'
            ? 'Starting at login is not available on this system.'
            : 'You are using Switchboard in a browser. Starting at login is a setting of the desktop app.'}
        </p>
      )}
      {error !== null && <p className="field__error">{error}</p>}
      <p className="muted small">
        Switchboard {info.version}
        {info.demo ? ' · demo mode' : ''}
      </p>
    </section>
  );
}
