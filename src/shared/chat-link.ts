/**
 * The address of one chat in the app (the part after '#'), shared by the renderer's router and the
 * desktop shell, which opens a window straight on the chat a notification was about.
 */
export function chatHash(workspaceId: string, chatId: string): string {
  return `/conversations/${encodeURIComponent(chatId)}?w=${encodeURIComponent(workspaceId)}`;
}

/** The workspace a chat address names (its `w` parameter), or null. */
export function workspaceOfHash(hash: string): string | null {
  const query = hash.split('?')[1];
  if (query === undefined) return null;
  const value = new URLSearchParams(query).get('w');
  return value === null || value === '' ? null : value;
}
