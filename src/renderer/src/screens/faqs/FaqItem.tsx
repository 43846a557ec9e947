import { useEffect, useState } from 'react';
import type { FaqListItem } from '../../../../shared/contract';
import { errorMessage } from '../../client/client';
import { ConfirmButtons } from '../../components/ConfirmButtons';
import { EditDeleteButtons } from '../../components/EditDeleteButtons';
import { Icon } from '../../components/Icon';
import { useApp } from '../../state/app-context';

/** One FAQ in the list: its question, answer, other wordings, file, on/off switch, edit and delete. */
export function FaqItem({ faq, onEdit }: { faq: FaqListItem; onEdit: () => void }) {
  const { client } = useApp();
  const [error, setError] = useState<string | null>(null);
  // Switching on/off shows at once; a refusal puts it back.
  const [enabled, setEnabled] = useState(faq.enabled);
  useEffect(() => setEnabled(faq.enabled), [faq.enabled]);
  const act = (action: () => Promise<unknown>) =>
    action().then(
      () => setError(null),
      (failure: unknown) => {
        setError(errorMessage(failure));
        setEnabled(faq.enabled);
      },
    );
  const ref = { workspaceId: faq.workspaceId, faqId: faq.id };
  const toggle = (next: boolean) => {
    setEnabled(next);
    void act(() => client.invoke('faq.update', { ...ref, patch: { enabled: next } }));
  };
  return (
    <li className={`faq${enabled ? '' : ' faq--off'}`} aria-label={faq.question}>
      <div className="faq__body">
        <p className="faq__question">{faq.question}</p>
        <p className="faq__answer">{faq.answer}</p>
        <FaqPhrasings phrasings={faq.phrasings} />
        {faq.attachment !== null && (
          <p
            className="faq__file"
            title={`The answer sends this ${faq.attachment.kind === 'image' ? 'photo' : 'document'}`}
          >
            <Icon name="clip" size={14} /> {faq.attachment.fileName}
          </p>
        )}
        {error !== null && <p className="field__error">{error}</p>}
      </div>
      <div className="faq__side">
        <label className="switch">
          <input
            type="checkbox"
            role="switch"
            checked={enabled}
            aria-label="Use this FAQ"
            onChange={(e) => toggle(e.target.checked)}
          />
          <span className="switch__track" aria-hidden="true" />
          <span className="switch__label">{enabled ? 'On' : 'Off'}</span>
        </label>
        <FaqActions onEdit={onEdit} onDelete={() => void act(() => client.invoke('faq.delete', ref))} />
      </div>
    </li>
  );
}

function FaqPhrasings({ phrasings }: { phrasings: string[] }) {
  if (phrasings.length === 0) return null;
  return (
    <p className="faq__phrasings">
      Also matches:{' '}
      {phrasings.slice(0, 3).map((p) => (
        <span key={p} className="chip">
          {p}
        </span>
      ))}
      {phrasings.length > 3 && <span className="muted"> +{phrasings.length - 3} more</span>}
    </p>
  );
}

function FaqActions(props: { onEdit: () => void; onDelete: () => void }) {
  const [confirming, setConfirming] = useState(false);
  return (
    <div className="faq__actions">
      {confirming ? (
        <span className="confirm">
          <ConfirmButtons
            question="Delete?"
            yes="Yes, delete"
            no="Keep"
            busy={false}
            onYes={props.onDelete}
            onNo={() => setConfirming(false)}
          />
        </span>
      ) : (
        <EditDeleteButtons onEdit={props.onEdit} onDelete={() => setConfirming(true)} />
      )}
    </div>
  );
}
