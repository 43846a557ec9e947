import { useState } from 'react';
import type { AiProviderStatus, AiStatus } from '../../../../shared/contract';
import { Field, FormError, Switch, TextField } from '../../components/Field';
import { parseNumberInput } from '../../number-input';
import { useApp } from '../../state/app-context';
import { useSubmit } from '../../state/use-submit';

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

type Tier = 'fast' | 'smart';

/**
 * The provider's one-line boxes: its name (fixed once saved), the service's address, the model, and the
 * owner's two prices, what is read (in) and what the model writes back (out).
 */
const TEXT_BOXES = [
  {
    key: 'id',
    name: 'providerId',
    label: 'Name',
    hint: 'Lower-case letters, digits, dashes.',
    required: true,
    maxLength: 40,
  },
  {
    key: 'baseUrl',
    name: 'baseUrl',
    label: 'Address',
    type: 'url',
    mono: true,
    grow: true,
    required: true,
    maxLength: 300,
  },
  { key: 'model', name: 'model', label: 'Model', mono: true, required: true, maxLength: 100 },
  {
    key: 'priceIn',
    name: 'priceIn',
    label: 'Price in (US$ per million tokens)',
    hint: "Empty: the price list's. 0 for a model on this PC.",
    decimal: true,
  },
  {
    key: 'priceOut',
    name: 'priceOut',
    label: 'Price out (US$ per million tokens)',
    hint: 'What the model writes back costs more.',
    decimal: true,
  },
] as const;

type TextKey = (typeof TEXT_BOXES)[number]['key'];

/**
 * The owner's price, or null to use the price list's. Text that is not a price is refused here, in
 * words, before it reaches the core (which checks it again).
 */
function priceOf(input: string, output: string): { inputPerMTok: number; outputPerMTok: number } | null {
  if (input.trim() === '' && output.trim() === '') return null;
  const read = (text: string, label: string) => {
    const value = parseNumberInput(text);
    if (!Number.isFinite(value) || value < 0) {
      throw new Error(
        `${label}: write a price in US$ per million tokens, e.g. 0.15 (0 for a model on this PC).`,
      );
    }
    return value;
  };
  return { inputPerMTok: read(input, 'Price in'), outputPerMTok: read(output, 'Price out') };
}

/** The price boxes' text; empty: the price list's figure. The owner's own price wins when given. */
const priceBox = (price: { inputPerMTok: number; outputPerMTok: number } | null) => ({
  priceIn: price === null ? '' : String(price.inputPerMTok),
  priceOut: price === null ? '' : String(price.outputPerMTok),
});

/** A name for a preset that no provider of this workspace has yet: "openai", then "openai-2". */
function freeName(label: string, taken: readonly string[]): string {
  let name = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  for (let n = 2; taken.includes(name); n++) name = `${name.replace(/-\d+$/, '')}-${n}`;
  return name;
}

/** The form's values, from the provider being edited or the first preset; `choose` fills a preset in. */
function useProviderDraft(existing: AiProviderStatus | undefined, taken: readonly string[]) {
  const first = PRESETS[0];
  const [preset, setPreset] = useState(0);
  const [kind, setKind] = useState<'openai-compatible' | 'anthropic'>(existing?.kind ?? first.kind);
  const [text, setTexts] = useState<Record<TextKey, string>>({
    id: existing?.id ?? first.label.toLowerCase(),
    baseUrl: existing?.baseUrl ?? first.baseUrl,
    model: existing?.model ?? first.model,
    ...priceBox(existing?.price ?? first.price),
  });
  const [tier, setTier] = useState<Tier>(existing?.tier ?? 'fast');
  const [enabled, setEnabled] = useState(existing?.enabled ?? true);
  const [needsKey, setNeedsKey] = useState<boolean>(existing?.needsKey ?? first.needsKey);
  const [apiKey, setApiKey] = useState('');

  const choose = (index: number) => {
    const p = PRESETS[index]!;
    setPreset(index);
    setKind(p.kind);
    setTexts((t) => ({
      id: existing === undefined ? freeName(p.label, taken) : t.id,
      baseUrl: p.baseUrl,
      model: p.model,
      ...priceBox(p.price),
    }));
    setNeedsKey(p.needsKey);
  };
  const setText = (key: TextKey, value: string) => setTexts((t) => ({ ...t, [key]: value }));
  const provider = () => {
    const { id, baseUrl, model, priceIn, priceOut } = text;
    const owned = priceOf(priceIn, priceOut);
    return { id, kind, baseUrl, model, tier, enabled, needsKey, ...(owned !== null && { price: owned }) };
  };
  return {
    preset,
    choose,
    text,
    setText,
    tier,
    setTier,
    enabled,
    setEnabled,
    needsKey,
    setNeedsKey,
    apiKey,
    setApiKey,
    provider,
  };
}

type ProviderDraft = ReturnType<typeof useProviderDraft>;

/** Adds a provider (from a preset or by hand) or edits one; the key is sent only when typed. */
export function ProviderForm(props: {
  workspaceId: string;
  existing?: AiProviderStatus;
  taken: string[];
  onDone: (status: AiStatus | null) => void;
}) {
  const { client } = useApp();
  const { existing } = props;
  const draft = useProviderDraft(existing, props.taken);

  const { busy, error, submit } = useSubmit(async () => {
    const status = await client.invoke('ai.saveProvider', {
      workspaceId: props.workspaceId,
      provider: draft.provider(),
      ...(draft.needsKey && draft.apiKey.trim() !== '' && { apiKey: draft.apiKey }),
    });
    props.onDone(status);
  });

  return (
    <form
      className="ai-settings__form"
      aria-label={existing ? `Edit ${existing.id}` : 'Add an AI provider'}
      onSubmit={submit}
    >
      {existing === undefined && <PresetChips preset={draft.preset} onChoose={draft.choose} />}
      <ProviderFields draft={draft} editing={existing !== undefined} />
      <Switch checked={draft.needsKey} onChange={draft.setNeedsKey}>
        Needs a key (off for a model on this PC, like Ollama)
      </Switch>
      {draft.needsKey && (
        <TextField
          label="API key"
          hint={
            existing?.keyHint != null
              ? `Stored, ending in ${existing.keyHint}. Leave empty to keep it.`
              : 'Stored encrypted on this computer; never shown again.'
          }
          inputClassName="input mono"
          name="apiKey"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={draft.apiKey}
          onValue={draft.setApiKey}
          maxLength={500}
        />
      )}
      <Switch checked={draft.enabled} onChange={draft.setEnabled}>
        Use this provider
      </Switch>
      <FormError error={error} />
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

function PresetChips(props: { preset: number; onChoose: (index: number) => void }) {
  return (
    <div className="ai-settings__presets" role="group" aria-label="Service">
      {PRESETS.map((p, i) => (
        <button
          key={p.label}
          type="button"
          className={`chip${i === props.preset ? ' chip--on' : ''}`}
          aria-pressed={i === props.preset}
          onClick={() => props.onChoose(i)}
        >
          {p.label}
        </button>
      ))}
    </div>
  );
}

/** Name, address, model, tier and the owner's prices. */
function ProviderFields({ draft, editing }: { draft: ProviderDraft; editing: boolean }) {
  const [name, address, model, priceIn, priceOut] = TEXT_BOXES.map((box) => (
    <TextField
      key={box.key}
      label={box.label}
      hint={'hint' in box ? box.hint : undefined}
      className={'grow' in box ? 'field--grow' : undefined}
      inputClassName={'mono' in box ? 'input mono' : 'input'}
      name={box.name}
      type={'type' in box ? box.type : 'text'}
      inputMode={'decimal' in box ? 'decimal' : undefined}
      value={draft.text[box.key]}
      onValue={(text) => draft.setText(box.key, text)}
      disabled={box.key === 'id' && editing}
      required={'required' in box}
      maxLength={'maxLength' in box ? box.maxLength : undefined}
    />
  ));
  return (
    <>
      <div className="field-row">
        {name}
        {address}
      </div>
      <div className="field-row">
        {model}
        <Field
          label="Use for"
          hint="Fast: greetings, simple questions. Smart: buying, complaints, long chats."
        >
          {(control) => (
            <select
              {...control}
              className="input"
              name="tier"
              value={draft.tier}
              onChange={(e) => draft.setTier(e.target.value as Tier)}
            >
              <option value="fast">Fast questions</option>
              <option value="smart">Smart (sales, complaints)</option>
            </select>
          )}
        </Field>
      </div>
      <div className="field-row">
        {priceIn}
        {priceOut}
      </div>
    </>
  );
}
