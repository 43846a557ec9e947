import type { LogEvent } from '../../shared/contract';
import type { LogPeople } from '../store/repositories/log-people';
import type { StoredEvent } from '../store/repositories/event-log';

/**
 * The log's events with the names they need to be read by the owner (the customer of each chat, the
 * question of each FAQ), and a search that finds a customer's events by their name or number.
 */
export interface LogNames {
  name(workspaceId: string | null, events: readonly StoredEvent[]): Promise<LogEvent[]>;
  /** What else `search` matches: the ids of customers so named, a typed number's digits. */
  alsoMatching(workspaceId: string | null, search: string | undefined): Promise<string[]>;
}

const chatOf = (event: StoredEvent): string | null => {
  const chat = event.meta?.chatId ?? event.meta?.chat;
  return typeof chat === 'string' && chat !== '' ? chat : null;
};

/**
 * A number as people type it ("+234 806 666 5555", "0806-666-5555"): its digits as chat ids hold them;
 * a national number without its leading 0, which chat ids never hold.
 */
export function digitsOfNumber(search: string): string[] {
  if (!/^[\d\s+()\-.]+$/.test(search)) return [];
  const digits = search.replace(/\D/g, '');
  if (digits.length < 6) return [];
  return digits.startsWith('0') ? [digits, digits.replace(/^0+/, '')] : [digits];
}

export function createLogNames(people: LogPeople): LogNames {
  return {
    async name(workspaceId, events) {
      if (workspaceId === null) return [...events];
      const chats: string[] = [];
      const faqIds: string[] = [];
      for (const event of events) {
        const chat = chatOf(event);
        if (chat !== null) chats.push(chat);
        const faqId = event.meta?.faqId;
        if (typeof faqId === 'string') faqIds.push(faqId);
      }
      const [byChat, questions] = await Promise.all([
        people.peopleOf(workspaceId, chats),
        people.faqQuestions(workspaceId, faqIds),
      ]);
      return events.map((event) => {
        const chat = chatOf(event);
        const person = chat === null ? undefined : byChat.get(chat);
        const faqId = event.meta?.faqId;
        const faq = typeof faqId === 'string' ? questions.get(faqId) : undefined;
        return {
          ...event,
          ...(person !== undefined && { person }),
          ...(faq !== undefined && { faq }),
        };
      });
    },

    async alsoMatching(workspaceId, search) {
      const text = search?.trim() ?? '';
      if (text === '') return [];
      const named = workspaceId === null ? [] : await people.idsOfNamed(workspaceId, text);
      return [...new Set([...named, ...digitsOfNumber(text)])];
    },
  };
}
