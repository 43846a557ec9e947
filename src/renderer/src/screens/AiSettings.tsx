import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { AiProviderStatus, AiStatus, AiTestResult, Events } from '../../../shared/contract';
import { currencySign } from '../../../shared/money-input';
import { Field } from '../components/Field';
import { useApp, useEvent } from '../state/app-context';
import { useWorkspaceStatus } from '../state/use-workspace-status';
import { useAction } from '../state/use-action';
import './ai-settings.css';

/**
 * Ready-made addresses for the providers shops use most; any OpenAI-compatible address works. Prices
 * (US$ per million tokens, input/output) are the services' list prices for the preset model; a model on
 * this PC costs nothing and needs no key.
 */
const PRESETS = [
  {
    label: 'OpenAI',
    kind: 'openai-compatible',
    baseUrl: 'https://api.openai.com/v1',
    model: 'gpt-4o-mini',
    needsKey: true,
    price: null,
  },
  {
    label: 'OpenRouter',
    kind: 'openai-compatible',
    baseUrl: 'https://openrouter.ai/api/v1',
    model: 'openai/gpt-4o-mini',
    needsKey: true,
    price: null,
  },
  {
    label: 'Groq',
    kind: 'openai-compatible',
    baseUrl: 'https://api.groq.com/openai/v1',
    model: 'llama-3.1-8b-instant',
    needsKey: true,
    price: null,
  },
  {
    label: 'Anthropic',
    kind: 'anthropic',
    baseUrl: 'https://api.anthropic.com',
    model: 'claude-3-5-haiku-latest',
    needsKey: true,
    price: null,
  },
  {
    label: 'Ollama (this PC)',
    kind: 'openai-compatible',
    baseUrl: 'http://127.0.0.1:11434/v1',
    model: 'llama3.2',
    needsKey: false,
    price: { inputPerMTok: 0, outputPerMTok: 0 },
  },
] as const;

type Currency = AiStatus['currency'];

/** How often the screen reads the providers' states again (a cool-down ends on its own). */
const HEALTH_REFRESH_MS = 15_000;

/** Enough digits to tell a few cents from nothing. */
const digits = (value: number) => (value > 0 && value < 0.01 ? 4 : 2);
const usdText = (value: number) => `US$${value.toFixed(digits(value))}`;

/** An amount kept in US$, shown in the shop's currency at the owner's rate (and in US$ beside it). */
export function money(valueUsd: number, currency: Currency): string {
  if (currency.code === 'USD') return usdText(valueUsd);
  const local = valueUsd * currency.perUsd;
  const text = local.toLocaleString('en', {
    minimumFractionDigits: digits(local),
    maximumFractionDigits: digits(local),
  });
  return `${currencySign(currency.code)}${text}`;
}

/** A budget as the form shows it: in the shop's currency, without a sign; '' for no limit. */
const budgetText = (valueUsd: number | null, currency: Currency) =>
  valueUsd === null ? '' : String(Math.round(valueUsd * currency.perUsd * 10_000) / 10_000);

/** "HH:MM" in the shop's time zone (the owner's clock, not this browser's). */
function clockTime(at: number, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit' }).format(at);
  } catch {
    return new Date(at).toISOString().slice(11, 16);
  }
}

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
  const [alert, setAlert] = useState<Events['ai.alerted'] | null>(null);
  useEffect(() => {
    setAdding(false);
    setAlert(null);
  }, [workspaceId]);
  // Providers cool down and recover on their own: read their state again now and then, and at once
  // when the core tells the owner something (the budget ran out, a key was refused).
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
          {status.providers.length > 0 && (
            <ul className="ai-settings__providers" aria-label="AI providers">
              {status.providers.map((p) => (
                <ProviderRow
                  key={p.id}
                  workspaceId={workspaceId}
                  timeZone={status.timeZone}
                  provider={p}
                  onChange={setStatus}
                />
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
  const { spend, budget, currency } = status;
  const usd = (value: number) => money(value, currency);
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
      {currency.code !== 'USD' && (
        <div>
          <dt>Rate</dt>
          <dd data-fact="rate">
            {currencySign(currency.code)}
            {currency.perUsd.toLocaleString('en')} = US$1
          </dd>
        </div>
      )}
      {share !== null && (
        <div className="ai-settings__meter" aria-hidden="true">
          <span style={{ width: `${Math.min(100, Math.round(share * 100))}%` }} />
        </div>
      )}
    </dl>
  );
}

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

function ProviderRow(props: {
  workspaceId: string;
  timeZone: string;
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
          {!provider.enabled && <span className="badge badge--idle">Off</span>}{' '}
          {provider.enabled && <HealthBadge provider={provider} timeZone={props.timeZone} />}
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
        <div className="ai-settings__actions">
          <button
            className="button"
            type="button"
            disabled={test.busy || (provider.needsKey && provider.keyHint === null)}
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
            aria-label={`Remove ${provider.id}`}
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
  const [needsKey, setNeedsKey] = useState<boolean>(existing?.needsKey ?? PRESETS[0].needsKey);
  const [apiKey, setApiKey] = useState('');
  // Empty: the price list's figure. The owner's own price wins when given.
  const initialPrice = existing?.price ?? PRESETS[0].price;
  const [priceIn, setPriceIn] = useState(initialPrice === null ? '' : String(initialPrice.inputPerMTok));
  const [priceOut, setPriceOut] = useState(initialPrice === null ? '' : String(initialPrice.outputPerMTok));

  const choose = (index: number) => {
    const p = PRESETS[index]!;
    setPreset(index);
    setKind(p.kind);
    setBaseUrl(p.baseUrl);
    setModel(p.model);
    setNeedsKey(p.needsKey);
    setPriceIn(p.price === null ? '' : String(p.price.inputPerMTok));
    setPriceOut(p.price === null ? '' : String(p.price.outputPerMTok));
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
      const price = priceOf(priceIn, priceOut);
      const status = await client.invoke('ai.saveProvider', {
        workspaceId: props.workspaceId,
        provider: { id, kind, baseUrl, model, tier, enabled, needsKey, ...(price !== null && { price }) },
        ...(needsKey && apiKey.trim() !== '' && { apiKey }),
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
      <div className="field-row">
        <TextField
          label="Price in (US$ per million tokens)"
          hint="Empty: the price list's. 0 for a model on this PC."
          name="priceIn"
          inputMode="decimal"
          value={priceIn}
          onValue={setPriceIn}
        />
        <TextField
          label="Price out (US$ per million tokens)"
          hint="What the model writes back costs more."
          name="priceOut"
          inputMode="decimal"
          value={priceOut}
          onValue={setPriceOut}
        />
      </div>
      <label className="switch">
        <input type="checkbox" checked={needsKey} onChange={(e) => setNeedsKey(e.target.checked)} />
        <span className="switch__track" aria-hidden="true" />
        <span>Needs a key (off for a model on this PC, like Ollama)</span>
      </label>
      {needsKey && (
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
      )}
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

/**
 * The owner's price, or null to use the price list's. Text that is not a price is refused here, in
 * words, before it reaches the core (which checks it again).
 */
function priceOf(input: string, output: string): { inputPerMTok: number; outputPerMTok: number } | null {
  if (input.trim() === '' && output.trim() === '') return null;
  const read = (text: string, label: string) => {
    const value = Number(text.trim().replace(',', '.'));
    if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
      throw new Error(
        `${label}: write a price in US$ per million tokens, e.g. 0.15 (0 for a model on this PC).`,
      );
    }
    return value;
  };
  return { inputPerMTok: read(input, 'Price in'), outputPerMTok: read(output, 'Price out') };
}

function AboutAndBudget({ status, onChange }: { status: AiStatus; onChange: (status: AiStatus) => void }) {
  const { client } = useApp();
  const { busy, error, run } = useAction();
  const [about, setAbout] = useState(status.about);
  const [code, setCode] = useState(status.currency.code);
  const [rate, setRate] = useState(String(status.currency.perUsd));
  const [daily, setDaily] = useState(budgetText(status.budget.dailyUsd, status.currency));
  const [dailyOff, setDailyOff] = useState(status.budget.dailyUsd === null);
  const [monthly, setMonthly] = useState(budgetText(status.budget.monthlyUsd, status.currency));
  const [monthlyOff, setMonthlyOff] = useState(status.budget.monthlyUsd === null);
  const [timeout, setTimeoutSeconds] = useState(String(status.timeoutSeconds));
  const [saved, setSaved] = useState(false);
  const usd = code.trim().toUpperCase() === 'USD';
  const sign = currencySign(code.trim().toUpperCase() || 'USD').trim();

  // What the boxes showed when last loaded: a budget left as it was is not sent again, so changing the
  // currency does not turn "20" (US$) into "20" (₦).
  const [shown, setShown] = useState({
    daily: budgetText(status.budget.dailyUsd, status.currency),
    monthly: budgetText(status.budget.monthlyUsd, status.currency),
  });
  const budgetOf = (text: string, off: boolean, before: string, wasOff: boolean) =>
    off ? (wasOff ? undefined : 'no-limit') : !wasOff && text === before ? undefined : text;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    await run(async () => {
      // Typed text goes as is: the core reads "0,50", "₦500" or "$2" and refuses anything else in words.
      const dailyBudget = budgetOf(daily, dailyOff, shown.daily, status.budget.dailyUsd === null);
      const monthlyBudget = budgetOf(monthly, monthlyOff, shown.monthly, status.budget.monthlyUsd === null);
      const next = await client.invoke('ai.update', {
        workspaceId: status.workspaceId,
        about,
        currency: { code: code.trim().toUpperCase(), perUsd: usd ? 1 : Number(rate.replace(',', '.')) },
        ...(dailyBudget !== undefined && { dailyBudget }),
        ...(monthlyBudget !== undefined && { monthlyBudget }),
        timeoutSeconds: Number(timeout),
      });
      onChange(next);
      const texts = {
        daily: budgetText(next.budget.dailyUsd, next.currency),
        monthly: budgetText(next.budget.monthlyUsd, next.currency),
      };
      setShown(texts);
      setDaily(texts.daily);
      setMonthly(texts.monthly);
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
        <Field label="Currency" hint="Three letters: NGN, GHS, KES, USD...">
          {(control) => (
            <input
              {...control}
              className="input"
              name="currency"
              maxLength={3}
              value={code}
              onChange={(e) => setCode(e.target.value.toUpperCase())}
            />
          )}
        </Field>
        {!usd && (
          <TextField
            label={`${sign} per US$1`}
            hint="Your rate: AI services bill in US dollars."
            name="perUsd"
            inputMode="decimal"
            value={rate}
            onValue={setRate}
          />
        )}
      </div>
      <div className="field-row">
        <BudgetField
          label={`Daily budget (${sign})`}
          name="dailyBudget"
          noLimit="No daily limit"
          value={daily}
          onValue={setDaily}
          off={dailyOff}
          onOff={setDailyOff}
        />
        <BudgetField
          label={`Monthly budget (${sign})`}
          name="monthlyBudget"
          noLimit="No monthly limit"
          value={monthly}
          onValue={setMonthly}
          off={monthlyOff}
          onOff={setMonthlyOff}
        />
      </div>
      <p className="muted">
        Over budget, the bot answers from FAQs and hands the rest to you. Each AI call first sets aside what
        it could cost at most, so many customers at once cannot go over.
      </p>
      <TextField
        label="Wait for a provider (seconds)"
        hint="Then the next one in your list is asked."
        name="timeoutSeconds"
        inputMode="numeric"
        value={timeout}
        onValue={setTimeoutSeconds}
      />
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

/** An amount, or "No limit" ticked: an empty box is not a choice, so it cannot become unlimited. */
function BudgetField(props: {
  label: string;
  name: string;
  noLimit: string;
  value: string;
  onValue: (value: string) => void;
  off: boolean;
  onOff: (off: boolean) => void;
}) {
  return (
    <div className="ai-settings__budget">
      <Field label={props.label}>
        {(control) => (
          <input
            {...control}
            className="input"
            name={props.name}
            inputMode="decimal"
            value={props.off ? '' : props.value}
            disabled={props.off}
            onChange={(e) => props.onValue(e.target.value)}
          />
        )}
      </Field>
      <label className="checkbox">
        <input type="checkbox" checked={props.off} onChange={(e) => props.onOff(e.target.checked)} />{' '}
        {props.noLimit}
      </label>
    </div>
  );
}

/** A one-line text box with its label and hint: amounts, prices, seconds. */
function TextField(props: {
  label: string;
  hint?: string;
  name: string;
  inputMode: 'decimal' | 'numeric';
  value: string;
  onValue: (value: string) => void;
}) {
  return (
    <Field label={props.label} {...(props.hint !== undefined && { hint: props.hint })}>
      {(control) => (
        <input
          {...control}
          className="input"
          name={props.name}
          inputMode={props.inputMode}
          value={props.value}
          onChange={(e) => props.onValue(e.target.value)}
        />
      )}
    </Field>
  );
}
