import type { Label } from '../../shared/contract';
import type { WorkspaceId } from '../../shared/types';
import { SwitchboardError } from '../errors';
import { createId } from '../ids';
import { createLabelRepository, type LabelRecord } from '../store/repositories/labels';
import { requireChat } from './contact-card-handlers';
import type { HandlerContext, HandlerInput } from './context';

const MAX_LABELS = 50;

const toLabel = (l: LabelRecord): Label => ({ id: l.id, name: l.name, color: l.color });

const labelsOf = (ctx: HandlerContext) => createLabelRepository(ctx.app.store.db);

async function requireLabel(
  ctx: HandlerContext,
  workspaceId: WorkspaceId,
  labelId: string,
): Promise<LabelRecord> {
  const label = await labelsOf(ctx).get(workspaceId, labelId);
  if (label === undefined) {
    throw new SwitchboardError(
      'NOT_FOUND',
      'That label does not exist in this workspace (it may have been deleted). Reload and pick another.',
      { labelId },
    );
  }
  return label;
}

async function uniqueLabelName(
  ctx: HandlerContext,
  workspaceId: WorkspaceId,
  name: string,
  except?: string,
): Promise<void> {
  const same = await labelsOf(ctx).findByName(workspaceId, name);
  if (same !== undefined && same.id !== except) {
    throw new SwitchboardError(
      'CONFLICT',
      `There is already a label called "${same.name}". Pick another name.`,
      {
        labelId: same.id,
      },
    );
  }
}

export async function listLabels(ctx: HandlerContext, { workspaceId }: HandlerInput<'label.list'>) {
  await ctx.app.workspaces.get(workspaceId);
  return (await labelsOf(ctx).list(workspaceId)).map(toLabel);
}

export async function createLabel(
  ctx: HandlerContext,
  { workspaceId, name, color }: HandlerInput<'label.create'>,
) {
  await ctx.app.workspaces.get(workspaceId);
  const labels = labelsOf(ctx);
  if ((await labels.list(workspaceId)).length >= MAX_LABELS) {
    throw new SwitchboardError('VALIDATION', `A workspace can have at most ${MAX_LABELS} labels.`);
  }
  await uniqueLabelName(ctx, workspaceId, name);
  return toLabel(await labels.create(workspaceId, { id: `lbl-${createId()}`, name, color }, ctx.clock.now()));
}

export async function updateLabel(
  ctx: HandlerContext,
  { workspaceId, labelId, name, color }: HandlerInput<'label.update'>,
) {
  await ctx.app.workspaces.get(workspaceId);
  const label = await requireLabel(ctx, workspaceId, labelId);
  if (name !== undefined) await uniqueLabelName(ctx, workspaceId, name, labelId);
  await labelsOf(ctx).update(
    workspaceId,
    labelId,
    { ...(name !== undefined && { name }), ...(color !== undefined && { color }) },
    ctx.clock.now(),
  );
  return toLabel({
    ...label,
    ...(name !== undefined && { name }),
    ...(color !== undefined && { color }),
  });
}

export async function deleteLabel(
  ctx: HandlerContext,
  { workspaceId, labelId }: HandlerInput<'label.delete'>,
) {
  await ctx.app.workspaces.get(workspaceId);
  await requireLabel(ctx, workspaceId, labelId);
  await labelsOf(ctx).delete(workspaceId, labelId);
  return null;
}

export async function setChatLabels(
  ctx: HandlerContext,
  { workspaceId, chatId, labelIds }: HandlerInput<'conversation.setLabels'>,
) {
  await requireChat(ctx, workspaceId, chatId);
  for (const id of labelIds) await requireLabel(ctx, workspaceId, id);
  await ctx.app.store.transaction((trx) =>
    createLabelRepository(trx).setForChat(workspaceId, chatId, labelIds, ctx.clock.now()),
  );
  ctx.hub.emit('conversation.changed', { workspaceId, chatId });
  return { labelIds: (await labelsOf(ctx).ofChats(workspaceId, [chatId])).get(chatId) ?? [] };
}
