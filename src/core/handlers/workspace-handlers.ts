import type { CoreHandlers } from '../../shared/contract';
import type { PhoneNumber } from '../../shared/dto';
import type { WorkspaceId } from '../../shared/types';
import { SwitchboardError } from '../errors';
import { normalizePhoneNumberOrThrow } from '../phone/normalize-phone-number';
import { requireNumber, type HandlerContext } from './context';

type WorkspaceHandlers = Pick<
  CoreHandlers,
  | 'workspace.list'
  | 'workspace.create'
  | 'workspace.update'
  | 'workspace.updateSettings'
  | 'number.add'
  | 'number.remove'
>;

export function createWorkspaceHandlers(ctx: HandlerContext): WorkspaceHandlers {
  const { app, hub } = ctx;
  const changed = (workspaceId: WorkspaceId) => hub.emit('workspace.changed', { workspaceId });

  return {
    'workspace.list': () => app.workspaces.list(),

    async 'workspace.create'({ number, ...fields }) {
      if (number !== undefined) {
        // Checked before anything is written, so a mistyped number does not leave a half-made workspace.
        const e164 = normalizePhoneNumberOrThrow(number, fields.defaultCountry, 'phone number');
        if ((await app.workspaces.ownerOfNumber(e164)) !== undefined) {
          throw new SwitchboardError(
            'CONFLICT',
            `${e164} is already linked to a workspace on this computer. Remove it there first.`,
            { e164 },
          );
        }
      }
      const workspace = await app.workspaces.create(fields);
      let phone: PhoneNumber | null = null;
      if (number !== undefined) {
        try {
          phone = await app.workspaces.addNumber(workspace.id, { number });
        } catch (error) {
          // Lost a race for the number: undo the workspace so a retry starts clean.
          await app.workspaces.delete(workspace.id).catch(() => undefined);
          throw error;
        }
      }
      changed(workspace.id);
      return { workspace, number: phone };
    },

    async 'workspace.update'({ workspaceId, patch }) {
      const workspace = await app.workspaces.update(workspaceId, patch);
      changed(workspaceId);
      return workspace;
    },

    async 'workspace.updateSettings'({ workspaceId, settings }) {
      const workspace = await app.workspaces.updateSettings(workspaceId, settings);
      changed(workspaceId);
      return workspace;
    },

    async 'number.add'({ workspaceId, ...input }) {
      const number = await app.workspaces.addNumber(workspaceId, input);
      changed(workspaceId);
      return number;
    },

    async 'number.remove'({ workspaceId, phoneNumberId }) {
      const number = await requireNumber(ctx, workspaceId, phoneNumberId);
      // End its socket first: a removed number must not keep answering customers.
      if (app.connections.state(number.e164) !== undefined) {
        await app.connections.remove(workspaceId, number.e164);
      }
      await app.workspaces.removeNumber(workspaceId, phoneNumberId);
      changed(workspaceId);
      return null;
    },
  };
}
