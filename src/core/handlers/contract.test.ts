import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  COMMAND_NAMES,
  commands,
  EVENT_NAMES,
  SHELL_COMMAND_NAMES,
  type CommandArgs,
  type CommandOutput,
  type CoreHandlers,
  type Events,
  type FaqListItem,
  type Handlers,
  type NumberState,
  type ShellHandlers,
} from '../../shared/contract';
import { createCoreRuntime } from './runtime';

const notCalled = () => Promise.reject(new Error('not called'));

describe('the contract', () => {
  it('gives every command a zod input schema, and names no command twice', () => {
    expect(Object.keys(commands).sort()).toEqual([...COMMAND_NAMES].sort());
    expect(new Set(COMMAND_NAMES).size).toBe(COMMAND_NAMES.length);
    for (const name of COMMAND_NAMES) {
      expect(typeof commands[name].input.safeParse, name).toBe('function');
    }
  });

  it('names commands domain.action and events in the past tense domain.event', () => {
    for (const name of COMMAND_NAMES) expect(name).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
    for (const name of EVENT_NAMES) expect(name).toMatch(/^[a-z]+\.[a-zA-Z]+(ed|Received|raised)$/);
  });

  it('splits the commands between the core and the shells without overlap or gaps', () => {
    // Built on a stub core: createCoreRuntime only reads the parts it wires at construction.
    const stubCore = {
      logger: { error: () => undefined, flush: () => Promise.resolve() },
      onConnectionEvent: () => () => undefined,
      onChatActivity: () => () => undefined,
      onUnanswered: () => () => undefined,
      onPipelineAlert: () => () => undefined,
      sync: { onChanged: () => () => undefined },
      cloudRelay: { onChanged: () => () => undefined },
      backups: { subscribe: () => () => undefined },
      store: { db: {} },
      workspaces: {},
      media: { uploads: {} },
    } as unknown as Parameters<typeof createCoreRuntime>[0];
    const runtime = createCoreRuntime(stubCore);
    const coreNames = Object.keys(runtime.handlers).sort();
    runtime.close();
    const all = [...coreNames, ...SHELL_COMMAND_NAMES].sort();
    expect(all).toEqual([...COMMAND_NAMES].sort());
    for (const name of SHELL_COMMAND_NAMES) expect(coreNames).not.toContain(name);
    for (const name of coreNames)
      expect(typeof (runtime.handlers as Record<string, unknown>)[name]).toBe('function');
  });

  it('parses inputs with defaults and refuses unknown keys', () => {
    const faq = commands['faq.create'].input.parse({
      workspaceId: ' w1 ',
      question: ' Open? ',
      answer: 'Yes',
    });
    expect(faq).toEqual({
      workspaceId: 'w1',
      question: 'Open?',
      answer: 'Yes',
      phrasings: [],
      enabled: true,
    });
    expect(commands['workspace.list'].input.parse(undefined)).toEqual({});
    expect(commands['faq.delete'].input.safeParse({ workspaceId: 'w', faqId: 'f', extra: 1 }).success).toBe(
      false,
    );
    const create = commands['workspace.create'].input.parse({ name: 'Shop', number: '' });
    expect(create).toEqual({
      name: 'Shop',
      defaultCountry: 'NG',
      botMode: 'faq',
      tier: 'free',
      number: undefined,
    });
  });

  it('types handlers, inputs, outputs and events from the one map (checked by tsc)', () => {
    expectTypeOf<CommandOutput<'faq.list'>>().toEqualTypeOf<FaqListItem[]>();
    expectTypeOf<CommandOutput<'connection.list'>>().toEqualTypeOf<NumberState[]>();
    expectTypeOf<CommandArgs<'faq.create'>['phrasings']>().toEqualTypeOf<string[]>();
    expectTypeOf<Events['faq.changed']>().toHaveProperty('workspaceId');
    expectTypeOf<CoreHandlers & ShellHandlers>().toExtend<Handlers>();
    expectTypeOf<Handlers>().toExtend<CoreHandlers & ShellHandlers>();

    const shell: ShellHandlers = {
      'app.info': notCalled,
      'app.setStartAtLogin': notCalled,
      'demo.scanQr': notCalled,
      'demo.enterPairingCode': notCalled,
    };
    // @ts-expect-error a shell that leaves out a handler does not compile
    const missing: ShellHandlers = {
      'app.info': notCalled,
      'app.setStartAtLogin': notCalled,
      'demo.scanQr': notCalled,
    };
    // @ts-expect-error core handlers alone do not make a full Handlers object
    const partial: Handlers = { ...({} as CoreHandlers) };
    // @ts-expect-error a handler must return the command's output type
    const wrongOutput: Pick<Handlers, 'faq.list'> = { 'faq.list': () => Promise.resolve(42) };
    expect([shell, missing, partial, wrongOutput]).toHaveLength(4);
  });
});
