import { useEffect, useState, type FormEvent } from 'react';
import type { AiProviderStatus, AiStatus, AiTestResult } from '../../../shared/contract';
import { Field } from '../components/Field';
import { useApp } from '../state/app-context';
import { useWorkspaceStatus } from '../state/use-workspace-status';
import { useAction } from '../state/use-action';
import './ai-settings.css';

/** Ready-made addresses for the providers shops use most; any OpenAI-compatible address works. */
const PRESETS = [
  { label: 'OpenAI', kind: 'openai-compatible', baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini' },
  {
    label: 'OpenRouter',
    kind: 'openai-compatible',
    baseUrl: 'https://openrouter.ai/api/v1',
    model: 'openai/gpt-4o-mini',
  },
  {
    label: 'Groq',
    kind: 'openai-compatible',
    baseUrl: 'https://api.groq.com/openai/v1',
    model: 'llama-3.1-8b-instant',
  },
  {
    label: 'Anthropic',
    kind: 'anthropic',
    baseUrl: 'https://api.anthropic.com',
    model: 'claude-3-5-haiku-latest',
  },
  {
    label: 'Ollama (this PC)',
    kind: 'openai-compatible',
    baseUrl: 'http://127.0.0.1:11434/v1',
    model: 'llama3.2',
  },
] as const;

const usd = (value: number) => (value < 0.01 && value > 0 ? `$${value.toFixed(4)}` : `$${value.toFixed(2)}`);

/**
 * Settings › AI answers: which AI services may answer when the FAQs do not, with their keys (stored
 * encrypted; only the last four characters come back), what the shop sells (the AI's grounding), the
 * daily and monthly budgets and what was spent. Each provider can be tested with one real request.
 */
export function AiSettings() {
  const { client } = useApp();
  const {
    status,
    set: setStatus,
    loadError,
    workspaceId,
  } = useWorkspaceStatus((id) => client.invoke('ai.status', { workspaceId: id }), 'workspace.changed');
  const [adding, setAdding] = useState(false);
  useEffect(() => setAdding(false), [workspaceId]);

  return (
    <section className="card settings__section ai-settings" aria-labelledby="ai-settings-title">
      <h2 className="card__title card__title--small" id="ai-settings-title">
        AI answers
      </h2>
      {loadError !== null && (
        <p className="notice notice--problem" role="alert">
          {loadError}
        </p>
      )}
      {status === null ? (
        loadError === null && <p className="muted">Loading…</p>
      ) : (
        <>
          <p className="muted">
            When no FAQ fits a customer&apos;s question, an AI service can answer from your FAQs and what you
            write about the shop below. It never makes up prices: when unsure, it hands the chat to you.
          </p>
          {status.problem !== null && (
            <p className="notice notice--warning" data-testid="ai-problem">
              {status.problem}
            </p>
          )}
          <Spend status={status} />
          {status.providers.length > 0 && (
            <ul className="ai-settings__providers" aria-label="AI providers">
              {status.providers.map((p) => (
                <ProviderRow key={p.id} workspaceId={workspaceId} provider={p} onChange={setStatus} />
              ))}
            </ul>
          )}
          {adding ? (
            <ProviderForm
              workspaceId={workspaceId}
              taken={status.providers.map((p) => p.id)}
              onDone={(next) => {
                if (next !== null) setStatus(next);
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
          <AboutAndBudget status={status} onChange={setStatus} />
        </>
      )}
    </section>
  );
}

function Spend({ status }: { status: AiStatus }) {
  const { spend, budget } = status;
  const share = budget.dailyUsd === null || budget.dailyUsd === 0 ? null : spend.dayUsd / budget.dailyUsd;
  return (
    <dl className="central-sync__facts ai-settings__spend">
      <div>
        <dt>Spent today</dt>
        <dd data-fact="spend-day">
          {usd(spend.dayUsd)}
          {budget.dailyUsd !== null && <span className="muted"> of {usd(budget.dailyUsd)}</span>}
        </dd>
      </div>
      <div>
        <dt>This month</dt>
        <dd data-fact="spend-month">
          {usd(spend.monthUsd)}
          {budget.monthlyUsd !== null && <span className="muted"> of {usd(budget.monthlyUsd)}</span>}
        </dd>
      </div>
      <div>
        <dt>AI answers today</dt>
        <dd data-fact="calls-day">{spend.dayCalls.toLocaleString()}</dd>
      </div>
      {share !== null && (
        <div className="ai-settings__meter" aria-hidden="true">
          <span style={{ width: `${Math.min(100, Math.round(share * 100))}%` }} />
        </div>
      )}
    </dl>
  );
}

function ProviderRow(props: {
  workspaceId: string;
  provider: AiProviderStatus;
  onChange: (status: AiStatus) => void;
}) {
  const { client } = useApp();
  const { provider } = props;
  const test = useAction();
  const remove = useAction();
  const [result, setResult] = useState<AiTestResult | null>(null);
  const [editing, setEditing] = useState(false);

  if (editing) {
    return (
      <li className="ai-settings__provider">
        <ProviderForm
          workspaceId={props.workspaceId}
          existing={provider}
          taken={[]}
          onDone={(next) => {
            if (next !== null) props.onChange(next);
            setEditing(false);
          }}
        />
      </li>
    );
  }
  return (
    <li className="ai-settings__provider" data-provider={provider.id}>
      <div className="ai-settings__provider-head">
        <div>
          <strong>{provider.id}</strong>{' '}
          <span className={`badge badge--${provider.tier === 'smart' ? 'busy' : 'idle'}`}>
            {provider.tier === 'smart' ? 'Smart' : 'Fast'}
          </span>
          {!provider.enabled && <span className="badge badge--idle">Off</span>}
          <div className="muted mono">
            {provider.model} · {provider.baseUrl}
          </div>
          <div className="muted">
            {provider.keyHint === null ? 'No API key yet' : `API key ending in ${provider.keyHint}`}
          </div>
        </div>
        <div className="ai-settings__actions">
          <button
            className="button"
            type="button"
            disabled={test.busy || provider.keyHint === null}
            onClick={() =>
              void test.run(async () =>
                setResult(
                  await client.invoke('ai.test', { workspaceId: props.workspaceId, providerId: provider.id }),
                ),
              )
            }
          >
            {test.busy ? 'Testing…' : 'Test'}
          </button>
          <button className="button" type="button" onClick={() => setEditing(true)}>
            Edit
          </button>
          <button
            className="button button--danger"
            type="button"
            disabled={remove.busy}
            onClick={() =>
              void remove.run(async () =>
                props.onChange(
                  await client.invoke('ai.removeProvider', {
                    workspaceId: props.workspaceId,
                    providerId: provider.id,
                  }),
                ),
              )
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
      {(test.error ?? remove.error) !== null && (
        <p className="notice notice--problem" role="alert">
          {test.error ?? remove.error}
        </p>
      )}
    </li>
  );
}

function ProviderForm(props: {
  workspaceId: string;
  existing?: AiProviderStatus;
  taken: string[];
  onDone: (status: AiStatus | null) => void;
}) {
  const { client } = useApp();
  const { busy, error, run } = useAction();
  const existing = props.existing;
  const [preset, setPreset] = useState(0);
  const [id, setId] = useState(existing?.id ?? PRESETS[0].label.toLowerCase());
  const [kind, setKind] = useState<'openai-compatible' | 'anthropic'>(existing?.kind ?? PRESETS[0].kind);
  const [baseUrl, setBaseUrl] = useState(existing?.baseUrl ?? PRESETS[0].baseUrl);
  const [model, setModel] = useState(existing?.model ?? PRESETS[0].model);
  const [tier, setTier] = useState<'fast' | 'smart'>(existing?.tier ?? 'fast');
  const [enabled, setEnabled] = useState(existing?.enabled ?? true);
  const [apiKey, setApiKey] = useState('');

  const choose = (index: number) => {
    const p = PRESETS[index]!;
    setPreset(index);
    setKind(p.kind);
    setBaseUrl(p.baseUrl);
    setModel(p.model);
    if (existing === undefined) {
      let name = p.label
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '');
      for (let n = 2; props.taken.includes(name); n++) name = `${name.replace(/-\d+$/, '')}-${n}`;
      setId(name);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      const status = await client.invoke('ai.saveProvider', {
        workspaceId: props.workspaceId,
        provider: { id, kind, baseUrl, model, tier, enabled },
        ...(apiKey.trim() !== '' && { apiKey }),
      });
      props.onDone(status);
    });
  };

  return (
    <form
      className="ai-settings__form"
      aria-label={existing ? `Edit ${existing.id}` : 'Add an AI provider'}
      onSubmit={(e) => void submit(e)}
    >
      {existing === undefined && (
        <div className="ai-settings__presets" role="group" aria-label="Service">
          {PRESETS.map((p, i) => (
            <button
              key={p.label}
              type="button"
              className={`chip${i === preset ? ' chip--on' : ''}`}
              aria-pressed={i === preset}
              onClick={() => choose(i)}
            >
              {p.label}
            </button>
          ))}
        </div>
      )}
      <div className="field-row">
        <Field label="Name" hint="Lower-case letters, digits, dashes.">
          {(control) => (
            <input
              {...control}
              className="input"
              name="providerId"
              value={id}
              onChange={(e) => setId(e.target.value)}
              disabled={existing !== undefined}
              required
              maxLength={40}
            />
          )}
        </Field>
        <Field className="field--grow" label="Address">
          {(control) => (
            <input
              {...control}
              className="input mono"
              name="baseUrl"
              type="url"
              value={baseUrl}
              onChange={(e) => setBaseUrl(e.target.value)}
              required
              maxLength={300}
            />
          )}
        </Field>
      </div>
      <div className="field-row">
        <Field label="Model">
          {(control) => (
            <input
              {...control}
              className="input mono"
              name="model"
              value={model}
              onChange={(e) => setModel(e.target.value)}
              required
              maxLength={100}
            />
          )}
        </Field>
        <Field
          label="Use for"
          hint="Fast: greetings, simple questions. Smart: buying, complaints, long chats."
        >
          {(control) => (
            <select
              {...control}
              className="input"
              name="tier"
              value={tier}
              onChange={(e) => setTier(e.target.value as 'fast' | 'smart')}
            >
              <option value="fast">Fast questions</option>
              <option value="smart">Smart (sales, complaints)</option>
            </select>
          )}
        </Field>
      </div>
      <Field
        label="API key"
        hint={
          existing?.keyHint != null
            ? `Stored, ending in ${existing.keyHint}. Leave empty to keep it.`
            : 'Stored encrypted on this computer; never shown again.'
        }
      >
        {(control) => (
          <input
            {...control}
            className="input mono"
            name="apiKey"
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={apiKey}
            onChange={(e) => setApiKey(e.target.value)}
            maxLength={500}
          />
        )}
      </Field>
      <label className="switch">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
        <span className="switch__track" aria-hidden="true" />
        <span>Use this provider</span>
      </label>
      {error !== null && (
        <p className="notice notice--problem" role="alert">
          {error}
        </p>
      )}
      <div className="settings__save">
        <button className="button" type="button" onClick={() => props.onDone(null)}>
          Cancel
        </button>
        <button className="button button--primary" type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save provider'}
        </button>
      </div>
    </form>
  );
}

function AboutAndBudget({ status, onChange }: { status: AiStatus; onChange: (status: AiStatus) => void }) {
  const { client } = useApp();
  const { busy, error, run } = useAction();
  const [about, setAbout] = useState(status.about);
  const [daily, setDaily] = useState(status.budget.dailyUsd === null ? '' : String(status.budget.dailyUsd));
  const [monthly, setMonthly] = useState(
    status.budget.monthlyUsd === null ? '' : String(status.budget.monthlyUsd),
  );
  const [saved, setSaved] = useState(false);
  const money = (text: string): number | null => (text.trim() === '' ? null : Number(text));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    await run(async () => {
      onChange(
        await client.invoke('ai.update', {
          workspaceId: status.workspaceId,
          about,
          dailyBudgetUsd: money(daily),
          monthlyBudgetUsd: money(monthly),
        }),
      );
      setSaved(true);
    });
  };

  return (
    <form
      className="ai-settings__about"
      aria-label="About the shop and budget"
      onSubmit={(e) => void submit(e)}
    >
      <Field label="What the shop sells" hint="A few lines the AI may use: products, brands, delivery areas.">
        {(control) => (
          <textarea
            {...control}
            className="input"
            name="about"
            rows={3}
            maxLength={1000}
            value={about}
            onChange={(e) => setAbout(e.target.value)}
          />
        )}
      </Field>
      <div className="field-row">
        <Field label="Daily budget (US$)" hint="Empty: no daily limit.">
          {(control) => (
            <input
              {...control}
              className="input"
              name="dailyBudgetUsd"
              inputMode="decimal"
              value={daily}
              onChange={(e) => setDaily(e.target.value)}
            />
          )}
        </Field>
        <Field
          label="Monthly budget (US$)"
          hint="Over budget, the bot answers from FAQs and hands over the rest."
        >
          {(control) => (
            <input
              {...control}
              className="input"
              name="monthlyBudgetUsd"
              inputMode="decimal"
              value={monthly}
              onChange={(e) => setMonthly(e.target.value)}
            />
          )}
        </Field>
      </div>
      {error !== null && (
        <p className="notice notice--problem" role="alert">
          {error}
        </p>
      )}
      <div className="settings__save">
        {saved && <span className="muted">Saved.</span>}
        <button className="button button--primary" type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
