import type { CoreHandlers } from '../../shared/contract';
import type { E164 } from '../../shared/types';
import { createLearningRepository } from '../store/repositories/learning';
import { SwitchboardError } from '../errors';
import { createId } from '../ids';
import { createOutboxId } from '../pipeline/outbox-id';
import { createConversationRepository } from '../store/repositories/conversations';
import { createFaqRepository } from '../store/repositories/faqs';
import { createOutboxRepository } from '../store/repositories/outbox';
import { withContext, type HandlerContext, type HandlerInput } from './context';
import { tryMatchers } from './try-matchers';

type LearnHandlers = Pick<CoreHandlers, 'learn.suggest' | 'learn.save' | 'learn.week' | 'learn.sendAnswer'>;
type Asker = Awaited<ReturnType<ReturnType<typeof createLearningRepository>['waitingAskers']>>[number];

const WEEK_MS = 7 * 24 * 3_600_000;
const WEEK_ITEMS = 20;
/** The least confidence at which an FAQ is suggested as the one a chat's question belongs to. */
const CLOSEST_FLOOR = 0.1;

/** Learning from the owner: keep a chat's question, send a new FAQ's answer, what was learned. */
export function createLearnHandlers(ctx: HandlerContext): LearnHandlers {
  return withContext(ctx, {
    'learn.suggest': suggestLearning,
    'learn.save': saveLearning,
    'learn.week': learnedThisWeek,
    'learn.sendAnswer': sendLearnedAnswer,
  });
}

/** The question of a chat the owner answered by hand, with the FAQ closest to it. */
async function suggestLearning(ctx: HandlerContext, { workspaceId, chatId }: HandlerInput<'learn.suggest'>) {
  const { app } = ctx;
  const learning = createLearningRepository(app.store.db, createId);
  const matcherOf = tryMatchers(ctx);
  await app.workspaces.get(workspaceId);
  const found = await learning.lastAnsweredByHand(workspaceId, chatId);
  if (found === undefined) return null;
  const { matcher, questions } = await matcherOf(workspaceId);
  // A distant best guess is not offered as "the closest": the owner picks or makes a new FAQ.
  const best = matcher.match(found.text, { limit: 1, threshold: CLOSEST_FLOOR })[0];
  return {
    question: found.text.slice(0, 300),
    messageId: found.id,
    ownerAnswer: found.ownerAnswer,
    closest: best === undefined ? null : { faqId: best.faqId, question: questions.get(best.faqId) ?? '' },
  };
}

/** A chat's question kept: as another phrasing of an FAQ, or as a new FAQ with the owner's answer. */
async function saveLearning(
  ctx: HandlerContext,
  { workspaceId, chatId, question, action }: HandlerInput<'learn.save'>,
) {
  const { app, hub, clock, faqs } = ctx;
  const db = app.store.db;
  const learning = createLearningRepository(db, createId);
  const now = clock.now();
  let faqId: string;
  if (action.type === 'add-phrasing') {
    const faq = await createFaqRepository(db, createId).get(workspaceId, action.faqId);
    if (faq === undefined) {
      throw new SwitchboardError('NOT_FOUND', 'That FAQ does not exist (it may have been deleted).', {
        faqId: action.faqId,
      });
    }
    if (faq.phrasings.length >= 100) {
      throw new SwitchboardError('VALIDATION', 'That FAQ has 100 phrasings already: remove one first.', {
        faqId: faq.id,
      });
    }
    await faqs.update(workspaceId, faq.id, { phrasings: [...faq.phrasings, question] });
    faqId = faq.id;
  } else {
    faqId = (
      await faqs.create(workspaceId, { question, answer: action.answer, phrasings: [], enabled: true })
    ).id;
  }
  await learning.record(
    workspaceId,
    [{ faqId, kind: action.type === 'add-phrasing' ? 'phrasing' : 'faq', text: question, chatId }],
    now,
  );
  app.logger
    .child({ workspaceId })
    .info(
      'bot.learned',
      action.type === 'add-phrasing'
        ? `A customer's question from chat ${chatId} was added to an FAQ as another way of asking it`
        : `A customer's question from chat ${chatId} became a new FAQ with the owner's answer`,
      { chatId, faqId, kind: action.type },
    );
  hub.emit('faq.changed', { workspaceId });
  hub.emit('conversation.changed', { workspaceId, chatId });
  return { faqId };
}

/** What the bot learned in the last seven days. */
async function learnedThisWeek(ctx: HandlerContext, { workspaceId }: HandlerInput<'learn.week'>) {
  const { app, clock } = ctx;
  const learning = createLearningRepository(app.store.db, createId);
  await app.workspaces.get(workspaceId);
  const since = clock.now() - WEEK_MS;
  const items = await learning.since(workspaceId, since);
  return {
    since,
    phrasings: items.filter((i) => i.kind === 'phrasing').length,
    faqs: items.filter((i) => i.kind === 'faq').length,
    items: items.slice(0, WEEK_ITEMS),
  };
}

/** A new FAQ's answer to the customers still waiting on the questions it was made from, each once. */
async function sendLearnedAnswer(
  ctx: HandlerContext,
  { workspaceId, faqId, questionIds }: HandlerInput<'learn.sendAnswer'>,
) {
  const { app, hub } = ctx;
  const db = app.store.db;
  const learning = createLearningRepository(db, createId);
  await app.workspaces.get(workspaceId);
  const faq = await createFaqRepository(db, createId).get(workspaceId, faqId);
  if (faq === undefined) {
    throw new SwitchboardError('NOT_FOUND', 'That FAQ does not exist (it may have been deleted).', {
      faqId,
    });
  }
  const askers = await learning.waitingAskers(workspaceId, questionIds, faqId);
  let sent = 0;
  const numbers = new Set<E164>();
  for (const asker of askers) {
    const claimed = await claimAndQueue(ctx, workspaceId, faqId, asker, faq.answer);
    if (!claimed) continue;
    sent += 1;
    numbers.add(asker.businessNumber);
    hub.emit('conversation.changed', { workspaceId, chatId: asker.chatId });
  }
  for (const number of numbers) app.pipeline.kick(workspaceId, number);
  app.logger
    .child({ workspaceId })
    .info('bot.answer_sent', `A new FAQ's answer was sent to ${sent} waiting customer(s)`, {
      faqId,
      sent,
    });
  return { sent, skipped: askers.length - sent };
}

async function claimAndQueue(
  ctx: HandlerContext,
  workspaceId: HandlerInput<'learn.sendAnswer'>['workspaceId'],
  faqId: string,
  asker: Asker,
  answer: string,
): Promise<boolean> {
  const now = ctx.clock.now();
  const outboxId = createOutboxId(now);
  // Claim, queue and end the wait together: a second press (or screen) finds the claim and skips.
  return ctx.app.store.transaction(async (trx) => {
    if (!(await createLearningRepository(trx, createId).claimSend(workspaceId, faqId, asker, outboxId, now)))
      return false;
    await createOutboxRepository(trx).insertMany(
      workspaceId,
      [
        {
          id: outboxId,
          businessNumber: asker.businessNumber,
          chatId: asker.chatId,
          inboundMessageId: asker.messageId,
          kind: 'faq',
          text: answer,
        },
      ],
      now,
    );
    await createConversationRepository(trx).answeredByOwner(workspaceId, asker.chatId, now);
    return true;
  });
}
