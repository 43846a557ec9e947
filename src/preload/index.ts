// Sandboxed preload (bundled to CommonJS): exposes only a typed invoke/on, allow-listed by name. The
// lists are the contract's own keys (src/shared/contract-names.ts, which imports nothing, because a
// sandboxed preload cannot load a library such as zod at run time).
import { contextBridge, ipcRenderer } from 'electron';
import { COMMAND_NAMES, EVENT_NAMES } from '../shared/contract-names';
import { createBridge } from './bridge';

export const ALLOWED_COMMANDS: readonly string[] = COMMAND_NAMES;
export const ALLOWED_EVENTS: readonly string[] = EVENT_NAMES;

contextBridge.exposeInMainWorld('switchboard', createBridge(ipcRenderer, ALLOWED_COMMANDS, ALLOWED_EVENTS));
