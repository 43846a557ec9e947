import { useState } from 'react';
import type { AiProviderStatus, AiStatus, AiTestResult } from '../../../../shared/contract';
import { FormError } from '../../components/Field';
import { useApp } from '../../state/app-context';
import { useAction } from '../../state/use-action';
import { clockTime } from './ai-money';
import { ProviderForm } from './AiProviderForm';

/** The provider's state as the bot sees it, in words, with when it is tried again. */
function HealthBadge({ provider, timeZone }: { provider: AiProviderStatus; timeZone: string }) {
  const { health } = provider;
  switch (health.state) {
    case 'working':
      return (
        <span className="badge badge--ok" data-health="working">
          Working
        </span>
      );
    case 'cooling-down':
      return (
        <span className="badge badge--busy" data-health="cooling-down" title={health.reason}>
          Cooling down until {clockTime(health.until, timeZone)} ({health.reason})
        </span>
      );
    case 'key-refused':
      return (
        <span className="badge badge--problem" data-health="key-refused">
          Key refused: enter it again
        </span>
      );
  }
}

/** "US$0.15 in, US$0.60 out per million tokens (price list)". */
function priceText(charged: AiProviderStatus['charged']): string {
  if (charged.inputPerMTok === 0 && charged.outputPerMTok === 0) return 'Free (costs nothing per message)';
  const source =
    charged.source === 'owner'
      ? 'your price'
      : charged.source === 'price-list'
        ? 'price list'
        : 'not known: counted at the highest price';
  return `US$${charged.inputPerMTok} in, US$${charged.outputPerMTok} out per million tokens (${source})`;
}

interface ProviderRowProps {
  workspaceId: string;
  timeZone: string;
  provider: AiProviderStatus;
  onChange: (status: AiStatus) => void;
}

/** One AI provider in the list: what it is, how it is doing, and Test, Edit, Remove. */
export function ProviderRow(props: ProviderRowProps) {
  const [editing, setEditing] = useState(false);
  if (editing) {
    return (
      <li className="ai-settings__provider">
        <ProviderForm
          workspaceId={props.workspaceId}
          existing={props.provider}
          taken={[]}
          onDone={(next) => {
            if (next !== null) props.onChange(next);
            setEditing(false);
          }}
        />
      </li>
    );
  }
  return <ProviderView {...props} onEdit={() => setEditing(true)} />;
}

function ProviderView(props: ProviderRowProps & { onEdit: () => void }) {
  const { client } = useApp();
  const { provider, workspaceId } = props;
  const test = useAction();
  const remove = useAction();
  const [result, setResult] = useState<AiTestResult | null>(null);
  const ref = { workspaceId, providerId: provider.id };
  return (
    <li className="ai-settings__provider" data-provider={provider.id}>
      <div className="ai-settings__provider-head">
        <ProviderFacts provider={provider} timeZone={props.timeZone} />
        <div className="ai-settings__actions">
          <button
            className="button"
            type="button"
            disabled={test.busy || (provider.needsKey && provider.keyHint === null)}
            onClick={() => void test.run(async () => setResult(await client.invoke('ai.test', ref)))}
          >
            {test.busy ? 'Testing…' : 'Test'}
          </button>
          <button className="button" type="button" onClick={props.onEdit}>
            Edit
          </button>
          <button
            className="button button--danger"
            type="button"
            aria-label={`Remove ${provider.id}`}
            disabled={remove.busy}
            onClick={() =>
              void remove.run(async () => props.onChange(await client.invoke('ai.removeProvider', ref)))
            }
          >
            Remove
          </button>
        </div>
      </div>
      {result !== null && (
        <p className={`notice ${result.ok ? 'notice--ok' : 'notice--problem'}`} role="status">
          {result.ok ? `Works (${result.latencyMs} ms). ${result.message}` : result.message}
        </p>
      )}
      <FormError error={test.error ?? remove.error} />
    </li>
  );
}

function ProviderFacts({ provider, timeZone }: { provider: AiProviderStatus; timeZone: string }) {
  return (
    <div>
      <strong>{provider.id}</strong>{' '}
      <span className={`badge badge--${provider.tier === 'smart' ? 'busy' : 'idle'}`}>
        {provider.tier === 'smart' ? 'Smart' : 'Fast'}
      </span>
      {!provider.enabled && <span className="badge badge--idle">Off</span>}{' '}
      {provider.enabled && <HealthBadge provider={provider} timeZone={timeZone} />}
      <div className="muted mono">
        {provider.model} · {provider.baseUrl}
      </div>
      <div className="muted" data-fact="price">
        {priceText(provider.charged)}
      </div>
      <div className="muted">
        {!provider.needsKey
          ? 'No API key needed'
          : provider.keyHint === null
            ? 'No API key yet'
            : `API key ending in ${provider.keyHint}`}
      </div>
    </div>
  );
}
