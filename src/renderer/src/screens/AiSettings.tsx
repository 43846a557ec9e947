import { useCallback, useEffect, useState } from 'react';
import type { AiStatus, Events } from '../../../shared/contract';
import { currencySign } from '../../../shared/money-input';
import { Fact } from '../components/Fact';
import { FormError } from '../components/Field';
import { useApp, useEvent } from '../state/app-context';
import { useWorkspaceStatus } from '../state/use-workspace-status';
import { money } from './ai/ai-money';
import { AboutAndBudget } from './ai/AiBudgetForm';
import { ProviderForm } from './ai/AiProviderForm';
import { ProviderRow } from './ai/AiProviderRow';
import './ai-settings.css';

/** How often the screen reads the providers' states again (a cool-down ends on its own). */
const HEALTH_REFRESH_MS = 15_000;

/**
 * The workspace's AI status, read again now and then and at once when the core tells the owner
 * something (the budget ran out, a key was refused): providers cool down and recover on their own.
 */
function useAiStatus() {
  const { client } = useApp();
  const workspace = useWorkspaceStatus(
    (id) => client.invoke('ai.status', { workspaceId: id }),
    'workspace.changed',
  );
  const { workspaceId, set: setStatus } = workspace;
  const [alert, setAlert] = useState<Events['ai.alerted'] | null>(null);
  useEffect(() => setAlert(null), [workspaceId]);
  const refresh = useCallback(
    () =>
      void client
        .invoke('ai.status', { workspaceId })
        .then(setStatus)
        .catch(() => undefined),
    [client, workspaceId, setStatus],
  );
  useEffect(() => {
    const timer = setInterval(refresh, HEALTH_REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);
  useEvent('ai.alerted', (event) => {
    if (event.workspaceId !== workspaceId) return;
    setAlert(event);
    refresh();
  });
  return { ...workspace, alert };
}

/**
 * Settings › AI answers: which AI services may answer when the FAQs do not, with their keys (stored
 * encrypted; only the last four characters come back), what the shop sells (the AI's grounding), the
 * daily and monthly budgets and what was spent. Each provider can be tested with one real request.
 */
export function AiSettings() {
  const { status, set: setStatus, loadError, workspaceId, alert } = useAiStatus();
  return (
    <section className="card settings__section ai-settings" aria-labelledby="ai-settings-title">
      <h2 className="card__title card__title--small" id="ai-settings-title">
        AI answers
      </h2>
      <FormError error={loadError} />
      {status === null ? (
        loadError === null && <p className="muted">Loading…</p>
      ) : (
        <>
          <p className="muted">
            When no FAQ fits a customer&apos;s question, an AI service can answer from your FAQs and what you
            write about the shop below. It never makes up prices: when unsure, it hands the chat to you.
          </p>
          {alert !== null && (
            <p className="notice notice--problem" role="alert" data-testid="ai-alert">
              {alert.message}
            </p>
          )}
          {status.problem !== null && (
            <p className="notice notice--warning" data-testid="ai-problem">
              {status.problem}
            </p>
          )}
          <Spend status={status} />
          <Providers key={workspaceId} workspaceId={workspaceId} status={status} onChange={setStatus} />
          <AboutAndBudget status={status} onChange={setStatus} />
        </>
      )}
    </section>
  );
}

/** The providers in the order they are asked, and the form that adds one (six at most). */
function Providers(props: { workspaceId: string; status: AiStatus; onChange: (status: AiStatus) => void }) {
  const { workspaceId, status } = props;
  const [adding, setAdding] = useState(false);
  return (
    <>
      {status.providers.length > 0 && (
        <ul className="ai-settings__providers" aria-label="AI providers">
          {status.providers.map((p) => (
            <ProviderRow
              key={p.id}
              workspaceId={workspaceId}
              timeZone={status.timeZone}
              provider={p}
              onChange={props.onChange}
            />
          ))}
        </ul>
      )}
      {adding ? (
        <ProviderForm
          workspaceId={workspaceId}
          taken={status.providers.map((p) => p.id)}
          onDone={(next) => {
            if (next !== null) props.onChange(next);
            setAdding(false);
          }}
        />
      ) : (
        status.providers.length < 6 && (
          <button className="button" type="button" onClick={() => setAdding(true)}>
            Add an AI provider
          </button>
        )
      )}
    </>
  );
}

function Spend({ status }: { status: AiStatus }) {
  const { spend, budget, currency } = status;
  const usd = (value: number) => money(value, currency);
  const share = budget.dailyUsd === null || budget.dailyUsd === 0 ? null : spend.dayUsd / budget.dailyUsd;
  return (
    <dl className="central-sync__facts ai-settings__spend">
      <Fact label="Spent today" name="spend-day">
        {usd(spend.dayUsd)}
        {budget.dailyUsd !== null && <span className="muted"> of {usd(budget.dailyUsd)}</span>}
      </Fact>
      <Fact label="This month" name="spend-month">
        {usd(spend.monthUsd)}
        {budget.monthlyUsd !== null && <span className="muted"> of {usd(budget.monthlyUsd)}</span>}
      </Fact>
      <Fact label="AI answers today" name="calls-day">
        {spend.dayCalls.toLocaleString()}
      </Fact>
      {currency.code !== 'USD' && (
        <Fact label="Rate" name="rate">
          {currencySign(currency.code)}
          {currency.perUsd.toLocaleString('en')} = US$1
        </Fact>
      )}
      {share !== null && (
        <div className="ai-settings__meter" aria-hidden="true">
          <span style={{ width: `${Math.min(100, Math.round(share * 100))}%` }} />
        </div>
      )}
    </dl>
  );
}
