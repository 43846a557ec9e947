import { useState } from 'react';
import type { CloudNumberView, CloudRelayStatus, NumberState } from '../../../../shared/contract';
import { ConfirmButtons } from '../../components/ConfirmButtons';
import { Icon } from '../../components/Icon';
import { StatusBadge } from '../../components/StatusBadge';
import { formatCountdown, formatPhone, STATUS_VIEW } from '../../format';
import { navigate } from '../../router';
import { useApp } from '../../state/app-context';
import { useAction } from '../../state/use-action';
import { QualityRating } from '../CloudConnect';
import { CloudRelayLine } from '../CloudRelayLine';

interface NumberCardProps {
  number: NumberState;
  now: number;
  /** Set for a number on the WhatsApp Cloud API: its verified name and quality rating. */
  cloud?: CloudNumberView | undefined;
  /** The workspace's webhook relay: how a Cloud number's messages reach this computer. */
  relay?: CloudRelayStatus | null;
  /** Opens the form that replaces a Cloud number's access token. */
  onNewToken?: (cloud: CloudNumberView) => void;
}

/** The line under a number: what its state means, the reconnect countdown, or what went wrong. */
function numberDetail(number: NumberState, now: number, cloud: CloudNumberView | undefined): string {
  const view = STATUS_VIEW[number.status];
  if (cloud !== undefined && number.status === 'connected')
    return 'Official number on the WhatsApp Cloud API.';
  if (number.status === 'reconnecting' && number.nextAttemptAt !== null) {
    const left = number.nextAttemptAt - now;
    return left > 0
      ? `The connection dropped. Trying again in ${formatCountdown(left)} (attempt ${number.attempt}).`
      : 'The connection dropped. Trying again now…';
  }
  if (number.message !== null && view.tone !== 'ok') return number.message;
  return view.hint;
}

/** "Link this number" and its kin for a number to link by QR; null when there is nothing to link. */
function linkLabel(number: NumberState): string | null {
  switch (number.status) {
    case 'pairing':
      return 'Continue linking';
    case 'logged-out':
      return 'Link again';
    case 'wrong-phone':
      return 'Show a new QR';
    case 'unpaired':
      return 'Link this number';
    default:
      return null;
  }
}

/** One WhatsApp number: its state in words, what to do about it, and Remove. */
export function NumberCard(props: NumberCardProps) {
  const { number, now, cloud, relay } = props;
  const view = STATUS_VIEW[number.status];
  const { client } = useApp();
  const { busy, error, run: act } = useAction();
  const ref = { workspaceId: number.workspaceId, phoneNumberId: number.phoneNumberId };
  return (
    <article
      className={`number-card number-card--${view.tone}`}
      data-e164={number.e164}
      aria-label={`WhatsApp number ${formatPhone(number.e164)}`}
    >
      <div className="number-card__main">
        <span className="number-card__icon" aria-hidden="true">
          <Icon name="phone" />
        </span>
        <div>
          <div className="number-card__title">
            <span className="number-card__number">{formatPhone(number.e164)}</span>
            {number.label !== null && <span className="muted">{number.label}</span>}
          </div>
          {cloud !== undefined && (
            <p className="cloud-number" data-testid="cloud-number">
              <span data-fact="verified-name">{cloud.verifiedName ?? 'Name not verified yet'}</span>
              <QualityRating rating={cloud.qualityRating} />
            </p>
          )}
          <p className="number-card__detail">{numberDetail(number, now, cloud)}</p>
          {cloud !== undefined && relay !== null && relay !== undefined && (
            <CloudRelayLine
              status={relay}
              phoneNumberId={cloud.phoneNumberId}
              takesWebhooks={cloud.takesWebhooks}
              now={now}
            />
          )}
          {error !== null && <p className="field__error">{error}</p>}
        </div>
      </div>
      <div className="number-card__side">
        <StatusBadge status={number.status} />
        <NumberActions
          {...props}
          busy={busy}
          onReconnect={() => void act(() => client.invoke('connection.reconnect', ref))}
          onRemove={() => void act(() => client.invoke('number.remove', ref))}
        />
      </div>
    </article>
  );
}

function NumberActions(
  props: NumberCardProps & { busy: boolean; onReconnect: () => void; onRemove: () => void },
) {
  const { number, cloud, onNewToken, busy } = props;
  const [confirmRemove, setConfirmRemove] = useState(false);
  const link = cloud === undefined ? linkLabel(number) : null;
  const canReconnect =
    number.status === 'needs-attention' || number.status === 'replaced' || number.status === 'disabled';
  const phone = formatPhone(number.e164);
  return (
    <div className="number-card__actions">
      {cloud !== undefined && onNewToken !== undefined && (
        // An expired or revoked token is the usual reason a Cloud number needs attention.
        <button
          className={
            number.status === 'needs-attention'
              ? 'button button--primary'
              : 'button button--ghost button--small'
          }
          type="button"
          onClick={() => onNewToken(cloud)}
        >
          New token
        </button>
      )}
      {link !== null ? (
        <button
          className="button button--primary"
          type="button"
          onClick={() => navigate({ name: 'pair', phoneNumberId: number.phoneNumberId })}
        >
          {link}
        </button>
      ) : (
        canReconnect && (
          <button
            className="button button--primary"
            type="button"
            disabled={busy}
            onClick={props.onReconnect}
          >
            Reconnect
          </button>
        )
      )}
      {confirmRemove ? (
        <span className="confirm">
          <ConfirmButtons
            question={`Remove ${phone}?`}
            yes="Yes, remove"
            yesLabel={`Yes, remove ${phone}`}
            no="Keep"
            busy={busy}
            onYes={props.onRemove}
            onNo={() => setConfirmRemove(false)}
          />
        </span>
      ) : (
        <button
          className="button button--ghost button--small"
          type="button"
          onClick={() => setConfirmRemove(true)}
        >
          Remove {phone}
        </button>
      )}
    </div>
  );
}
