/**
 * The shapes that cross the contract: what the core returns and the UI shows. Plain data only.
 */
import type {
  BotMode,
  E164,
  MessageAuthor,
  MessageDirection,
  MessageStatus,
  NumberStatus,
  ProviderKind,
  SubscriptionTier,
  WorkspaceId,
} from './types';
import type { WorkspaceSettings } from './settings';

export interface Workspace {
  id: WorkspaceId;
  name: string;
  defaultCountry: string;
  botMode: BotMode;
  tier: SubscriptionTier;
  settings: WorkspaceSettings;
  createdAt: number;
  updatedAt: number;
}

export interface PhoneNumber {
  id: string;
  workspaceId: WorkspaceId;
  e164: E164;
  provider: ProviderKind;
  status: NumberStatus;
  label: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface Contact {
  id: string;
  workspaceId: WorkspaceId;
  phone: E164 | null;
  waId: string | null;
  name: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface Faq {
  id: string;
  workspaceId: WorkspaceId;
  question: string;
  answer: string;
  phrasings: string[];
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface Message {
  id: string;
  workspaceId: WorkspaceId;
  businessNumber: E164;
  providerMessageId: string;
  chatId: string;
  contactId: string | null;
  direction: MessageDirection;
  author: MessageAuthor;
  text: string | null;
  status: MessageStatus;
  providerTs: number | null;
  createdAt: number;
  updatedAt: number;
}
