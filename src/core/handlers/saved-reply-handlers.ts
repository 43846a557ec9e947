import { SwitchboardError } from '../errors';
import { createId } from '../ids';
import { createFaqRepository } from '../store/repositories/faqs';
import { createSavedReplyRepository } from '../store/repositories/saved-replies';
import type { HandlerContext, HandlerInput } from './context';

const MAX_SAVED_REPLIES = 500;

const repliesOf = (ctx: HandlerContext) => createSavedReplyRepository(ctx.app.store.db);

const gone = (replyId: string) =>
  new SwitchboardError('NOT_FOUND', 'That saved reply does not exist (it may have been deleted).', {
    replyId,
  });

export async function listSavedReplies(ctx: HandlerContext, { workspaceId }: HandlerInput<'reply.list'>) {
  await ctx.app.workspaces.get(workspaceId);
  return (await repliesOf(ctx).list(workspaceId)).map(({ id, title, text }) => ({ id, title, text }));
}

export async function createSavedReply(
  ctx: HandlerContext,
  { workspaceId, title, text }: HandlerInput<'reply.create'>,
) {
  await ctx.app.workspaces.get(workspaceId);
  const savedReplies = repliesOf(ctx);
  if ((await savedReplies.list(workspaceId)).length >= MAX_SAVED_REPLIES) {
    throw new SwitchboardError('VALIDATION', `You can keep at most ${MAX_SAVED_REPLIES} saved replies.`);
  }
  const saved = await savedReplies.create(workspaceId, { id: createId(), title, text }, ctx.clock.now());
  return { id: saved.id, title: saved.title, text: saved.text };
}

export async function updateSavedReply(
  ctx: HandlerContext,
  { workspaceId, replyId, title, text }: HandlerInput<'reply.update'>,
) {
  await ctx.app.workspaces.get(workspaceId);
  const saved = await repliesOf(ctx).update(
    workspaceId,
    replyId,
    { ...(title !== undefined && { title }), ...(text !== undefined && { text }) },
    ctx.clock.now(),
  );
  if (saved === undefined) throw gone(replyId);
  return { id: saved.id, title: saved.title, text: saved.text };
}

export async function deleteSavedReply(
  ctx: HandlerContext,
  { workspaceId, replyId }: HandlerInput<'reply.delete'>,
) {
  await ctx.app.workspaces.get(workspaceId);
  if (!(await repliesOf(ctx).delete(workspaceId, replyId))) throw gone(replyId);
  return null;
}

/** The owner's saved replies first, then the FAQ answers, for the reply box's picker. */
export async function quickReplies(ctx: HandlerContext, { workspaceId }: HandlerInput<'reply.quick'>) {
  await ctx.app.workspaces.get(workspaceId);
  const faqs = await createFaqRepository(ctx.app.store.db, createId).list(workspaceId);
  return [
    ...(await repliesOf(ctx).list(workspaceId)).map((r) => ({
      source: 'saved' as const,
      id: r.id,
      title: r.title,
      text: r.text,
    })),
    ...faqs.map((f) => ({ source: 'faq' as const, id: f.id, title: f.question, text: f.answer })),
  ];
}
