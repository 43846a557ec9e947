/**
 * Why a message was not sent, in the owner's words, from what the sender or WhatsApp said (an outbox
 * row's last error). The technical text stays in the Activity log.
 */
const REASONS: readonly [RegExp, string][] = [
  [/not connected|connection (closed|lost)|socket closed/i, 'Your number was not connected to WhatsApp.'],
  [/\b463\b/, 'WhatsApp refused it: this customer has not written to this number yet.'],
  [
    /131047|24 hours|re-engagement/i,
    'The customer last wrote more than 24 hours ago: WhatsApp only allows a template now.',
  ],
  [
    /131026|undeliverable|not on whatsapp/i,
    "The customer's phone could not receive it (not on WhatsApp, or an old WhatsApp).",
  ],
  [/131056|\b429\b|rate limit|too many/i, 'Too many messages at once: WhatsApp asked to slow down.'],
  [/timed? ?out/i, 'WhatsApp did not answer in time.'],
  [/cancelled: waited/i, 'It waited too long to be sent, so it was held back.'],
];

export function failureInWords(lastError: string | null | undefined): string {
  if (lastError == null || lastError.trim() === '') return 'WhatsApp did not take it.';
  for (const [pattern, words] of REASONS) if (pattern.test(lastError)) return words;
  const short = lastError.length > 120 ? `${lastError.slice(0, 120)}…` : lastError;
  return `WhatsApp did not take it (${short}).`;
}
