import { useState, type FormEvent } from 'react';
import type { AiStatus } from '../../../../shared/contract';
import { currencySign } from '../../../../shared/money-input';
import { FormError, SaveRow, TextField } from '../../components/Field';
import { TextAreaField } from '../../components/TextAreaField';
import { parseNumberInput } from '../../number-input';
import { useApp } from '../../state/app-context';
import { useSave } from '../../state/use-save';
import { budgetText } from './ai-money';

/** A budget box's text and its "No limit" tick. */
interface BudgetDraft {
  text: string;
  off: boolean;
}

const budgetDraft = (valueUsd: number | null, currency: AiStatus['currency']): BudgetDraft => ({
  text: budgetText(valueUsd, currency),
  off: valueUsd === null,
});

/**
 * What to send for a budget: nothing when the box is as it was loaded, so changing the currency does
 * not turn "20" (US$) into "20" (₦); 'no-limit' when newly ticked. Typed text goes as is: the core reads
 * "0,50", "₦500" or "$2" and refuses anything else in words.
 */
function budgetOf(draft: BudgetDraft, shown: string, storedUsd: number | null) {
  const wasOff = storedUsd === null;
  if (draft.off) return wasOff ? undefined : 'no-limit';
  return !wasOff && draft.text === shown ? undefined : draft.text;
}

/** The form's boxes as typed, and its save. */
function useBudgetForm(status: AiStatus, onChange: (status: AiStatus) => void) {
  const { client } = useApp();
  const { save, ...saving } = useSave();
  const [about, setAbout] = useState(status.about);
  const [code, setCode] = useState(status.currency.code);
  const [rate, setRate] = useState(String(status.currency.perUsd));
  const [daily, setDaily] = useState(budgetDraft(status.budget.dailyUsd, status.currency));
  const [monthly, setMonthly] = useState(budgetDraft(status.budget.monthlyUsd, status.currency));
  const [timeout, setTimeoutSeconds] = useState(String(status.timeoutSeconds));
  // What the boxes showed when last loaded (see budgetOf).
  const [shown, setShown] = useState({ daily: daily.text, monthly: monthly.text });
  const usd = code.trim().toUpperCase() === 'USD';
  const sign = currencySign(code.trim().toUpperCase() || 'USD').trim();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await save(async () => {
      const dailyBudget = budgetOf(daily, shown.daily, status.budget.dailyUsd);
      const monthlyBudget = budgetOf(monthly, shown.monthly, status.budget.monthlyUsd);
      const next = await client.invoke('ai.update', {
        workspaceId: status.workspaceId,
        about,
        currency: { code: code.trim().toUpperCase(), perUsd: usd ? 1 : parseNumberInput(rate) },
        ...(dailyBudget !== undefined && { dailyBudget }),
        ...(monthlyBudget !== undefined && { monthlyBudget }),
        timeoutSeconds: parseNumberInput(timeout),
      });
      onChange(next);
      const texts = {
        daily: budgetText(next.budget.dailyUsd, next.currency),
        monthly: budgetText(next.budget.monthlyUsd, next.currency),
      };
      setShown(texts);
      setDaily((d) => ({ ...d, text: texts.daily }));
      setMonthly((m) => ({ ...m, text: texts.monthly }));
    });
  };

  return {
    ...saving,
    submit,
    usd,
    sign,
    about,
    setAbout,
    code,
    setCode,
    rate,
    setRate,
    daily,
    setDaily,
    monthly,
    setMonthly,
    timeout,
    setTimeoutSeconds,
  };
}

/** What the shop sells (the AI's grounding), the currency and rate, the budgets and the wait. */
export function AboutAndBudget({
  status,
  onChange,
}: {
  status: AiStatus;
  onChange: (status: AiStatus) => void;
}) {
  const form = useBudgetForm(status, onChange);
  const { sign } = form;
  return (
    <form
      className="ai-settings__about"
      aria-label="About the shop and budget"
      onSubmit={(e) => void form.submit(e)}
    >
      <TextAreaField
        label="What the shop sells"
        hint="A few lines the AI may use: products, brands, delivery areas."
        inputClassName="input"
        name="about"
        rows={3}
        maxLength={1000}
        value={form.about}
        onValue={form.setAbout}
      />
      <CurrencyFields form={form} />
      <div className="field-row">
        <BudgetField period="daily" sign={sign} draft={form.daily} onDraft={form.setDaily} />
        <BudgetField period="monthly" sign={sign} draft={form.monthly} onDraft={form.setMonthly} />
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
        value={form.timeout}
        onValue={form.setTimeoutSeconds}
      />
      <FormError error={form.error} />
      <SaveRow busy={form.busy} saved={form.saved} />
    </form>
  );
}

type BudgetForm = ReturnType<typeof useBudgetForm>;

/** The shop's currency and, unless it is US$, how many of it make a dollar. */
function CurrencyFields({ form }: { form: BudgetForm }) {
  return (
    <div className="field-row">
      <TextField
        label="Currency"
        hint="Three letters: NGN, GHS, KES, USD..."
        name="currency"
        maxLength={3}
        value={form.code}
        onValue={(text) => form.setCode(text.toUpperCase())}
      />
      {!form.usd && (
        <TextField
          label={`${form.sign} per US$1`}
          hint="Your rate: AI services bill in US dollars."
          name="perUsd"
          inputMode="decimal"
          value={form.rate}
          onValue={form.setRate}
        />
      )}
    </div>
  );
}

/** An amount, or "No limit" ticked: an empty box is not a choice, so it cannot become unlimited. */
function BudgetField(props: {
  period: 'daily' | 'monthly';
  sign: string;
  draft: BudgetDraft;
  onDraft: (draft: BudgetDraft) => void;
}) {
  const { draft } = props;
  return (
    <div className="ai-settings__budget">
      <TextField
        label={`${props.period === 'daily' ? 'Daily' : 'Monthly'} budget (${props.sign})`}
        name={`${props.period}Budget`}
        inputMode="decimal"
        value={draft.off ? '' : draft.text}
        disabled={draft.off}
        onValue={(text) => props.onDraft({ ...draft, text })}
      />
      <label className="checkbox">
        <input
          type="checkbox"
          checked={draft.off}
          onChange={(e) => props.onDraft({ ...draft, off: e.target.checked })}
        />{' '}
        No {props.period} limit
      </label>
    </div>
  );
}
