import { describe, expect, it } from 'vitest';
import { parseOptions } from './parse-options';

const options = {
  host: { type: 'string' },
  tag: { type: 'string', multiple: true },
  demo: { type: 'boolean', short: 'd' },
} as const;

describe('parseOptions', () => {
  it('reads values, repeated values, short flags and positionals', () => {
    const { values, positionals } = parseOptions(
      ['restore', '--host=0.0.0.0', '-d', '--tag', 'a', 'file.zip', '--tag', 'b'],
      options,
      true,
    );
    expect(values).toEqual({ host: '0.0.0.0', demo: true, tag: ['a', 'b'] });
    expect(positionals).toEqual(['restore', 'file.zip']);
  });

  it('words its errors for the person at the terminal', () => {
    expect(() => parseOptions(['--hots', 'x'], options)).toThrow(/^Unknown option --hots$/);
    expect(() => parseOptions(['--host'], options)).toThrow(/^--host needs a value$/);
    expect(() => parseOptions(['--host='], options)).toThrow(/^--host needs a value$/);
    expect(() => parseOptions(['--host', '--demo'], options)).toThrow(/^--host needs a value$/);
    expect(() => parseOptions(['stray'], options)).toThrow(/^Unknown option stray$/);
    expect(() => parseOptions(['--demo=yes'], options)).toThrow(/does not take an argument/);
  });
});
