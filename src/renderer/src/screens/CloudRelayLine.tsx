import type { CloudRelayStatus } from '../../../shared/contract';
import { navigate } from '../router';
import { describeHeld, describeKeptUnroutable, describeRelay } from './cloud-relay-text';

/** On a Cloud number's card: whether customers' messages reach it, and what to do when they do not. */
export function CloudRelayLine(props: {
  status: CloudRelayStatus;
  /** This card's number: what the relay keeps for it while it is not running is said here. */
  phoneNumberId: string;
  takesWebhooks: boolean;
  now: number;
}) {
  const line = describeRelay(props.status, props.takesWebhooks, props.now);
  const held = describeHeld(props.status, props.phoneNumberId, props.now);
  const unroutable = describeKeptUnroutable(props.status);
  return (
    <div className="cloud-relay" data-testid="cloud-relay" data-state={props.status.state}>
      <p className="cloud-relay__line" role={line.tone === 'problem' ? 'alert' : 'status'}>
        <span className={`dot dot--${line.tone}`} aria-hidden="true" />
        <span>
          {line.text}
          {line.todo !== null && (
            <>
              {' '}
              <strong className="cloud-relay__todo">{line.todo}</strong>
            </>
          )}
        </span>
      </p>
      {line.toSettings && (
        <button
          className="button button--secondary button--small"
          type="button"
          onClick={() => navigate({ name: 'settings' })}
        >
          Open Central sync settings
        </button>
      )}
      {held !== null && (
        <p className="cloud-relay__held" data-testid="cloud-relay-held" role="status">
          <span className="dot dot--busy" aria-hidden="true" />
          <span>{held}</span>
        </p>
      )}
      {unroutable !== null && <p className="muted cloud-relay__unroutable">{unroutable}</p>}
    </div>
  );
}
