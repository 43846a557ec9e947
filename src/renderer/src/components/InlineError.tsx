/** A short problem in words right under the control it is about (words that could not be added). */
export function InlineError({ error }: { error: string | null }) {
  return error === null ? null : (
    <p className="field__error" role="alert">
      {error}
    </p>
  );
}
