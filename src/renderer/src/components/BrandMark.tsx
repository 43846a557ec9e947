/** Switchboard's mark, large, above the sign-in and first-run screens. */
export function BigBrandMark() {
  return (
    <div className="brand brand--large" aria-hidden="true">
      <span className="brand__mark">
        <span />
        <span />
        <span />
      </span>
    </div>
  );
}
