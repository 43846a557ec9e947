/**
 * Keeps long promise chains from starving the event loop.
 *
 * better-sqlite3 is synchronous, so a kysely query over it resolves as a microtask; Baileys chains each
 * incoming message's decryption and key-store writes on promises. A burst of a few thousand messages then
 * runs as one endless microtask chain: timers, sockets and the UI's IPC wait for seconds (measured: a
 * 10 s stall during a 2,000-message burst). `yieldIfStarved` lets the loop turn once the current stretch
 * of microtasks has run longer than the budget; it costs nothing when the loop is turning anyway.
 */
let lastTurn = performance.now();
let markerPending = false;

function markTurn(): void {
  if (markerPending) return;
  markerPending = true;
  setImmediate(() => {
    markerPending = false;
    lastTurn = performance.now();
  });
}

export async function yieldIfStarved(budgetMs = 8): Promise<void> {
  markTurn();
  if (performance.now() - lastTurn <= budgetMs) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  lastTurn = performance.now();
}
