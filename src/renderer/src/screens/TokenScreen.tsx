import { useState, type FormEvent } from 'react';
import { BigBrandMark } from '../components/BrandMark';
import { TextField } from '../components/Field';

/** The headless host asks for its access token before anything else. */
export function TokenScreen(props: { refused: boolean; onSubmit: (token: string) => void }) {
  const [token, setToken] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim() !== '') props.onSubmit(token.trim());
  };
  return (
    <main className="center-page">
      <form className="card card--narrow form" onSubmit={submit}>
        <BigBrandMark />
        <div>
          <h1 className="card__title">Open Switchboard</h1>
          <p className="muted">
            Paste the access token that was printed when Switchboard started on this computer. It keeps your
            customers&rsquo; messages private.
          </p>
        </div>
        {props.refused && (
          <p className="notice notice--problem" role="alert">
            That access token was not accepted. Check it and try again.
          </p>
        )}
        <TextField
          label="Access token"
          name="token"
          autoComplete="off"
          spellCheck={false}
          value={token}
          onValue={setToken}
          placeholder="e.g. 8fJ2…"
          autoFocus
        />
        <button className="button button--primary button--block" type="submit" disabled={token.trim() === ''}>
          Continue
        </button>
      </form>
    </main>
  );
}
