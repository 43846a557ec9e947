import { useState } from 'react';
import { navigate } from '../router';
import { useWorkspace } from '../state/app-context';
import { InboxSearchResults } from './inbox/InboxSearch';

/** Fewer results than on the Conversations screen: the log stays the main thing here. */
const LIMIT = 10;

/**
 * Under the Activity log's filters: the same words looked up in the conversations (names, numbers,
 * messages), asked only when the owner opens it; a result opens its chat at the message.
 */
export function LogChatSearch({ query }: { query: string }) {
  const workspace = useWorkspace();
  const [open, setOpen] = useState(false);
  return (
    <details
      className="log-chat-search card"
      open={open}
      onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}
    >
      <summary>Look for &ldquo;{query}&rdquo; in your conversations</summary>
      {open && (
        <InboxSearchResults
          query={query}
          limit={LIMIT}
          onOpen={(chatId, messageId) =>
            navigate({
              name: 'conversations',
              chatId,
              workspaceId: workspace.id,
              ...(messageId !== undefined && { messageId }),
            })
          }
        />
      )}
    </details>
  );
}
