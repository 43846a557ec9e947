// Placeholder screen until the real UI (issue #6) lands.
export function App() {
  return (
    <main className="splash">
      <div className="splash__card">
        <div className="splash__logo" aria-hidden="true">
          <span />
          <span />
          <span />
        </div>
        <h1 className="splash__title">Switchboard</h1>
        <p className="splash__tagline">Your shop&rsquo;s WhatsApp, answered</p>
        <p className="splash__status" role="status" aria-live="polite">
          <span className="splash__spinner" aria-hidden="true" />
          Setting up…
        </p>
      </div>
    </main>
  );
}
