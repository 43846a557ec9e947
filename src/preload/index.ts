// Sandboxed preload (bundled to CommonJS): exposes only a typed invoke/on, allow-listed by name.
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge';

// TODO(issue #6, contract): derive both lists from the keys of `Commands` and `Events` in
// src/shared/contract.ts once it exists. Until then nothing is allowed and every call is rejected.
export const ALLOWED_COMMANDS: readonly string[] = [];
export const ALLOWED_EVENTS: readonly string[] = [];

contextBridge.exposeInMainWorld('switchboard', createBridge(ipcRenderer, ALLOWED_COMMANDS, ALLOWED_EVENTS));
