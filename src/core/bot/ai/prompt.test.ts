import { describe, expect, it } from 'vitest';
import { DEFAULT_WORKSPACE_SETTINGS } from '../../../shared/settings';
import { buildPrompt, describeHours, isHandoff } from './prompt';

describe('buildPrompt', () => {
  const profile = { name: 'Ada Fabrics', sells: 'ankara and lace', hours: 'Mon-Sat 9-6' };
  it('grounds the model in the profile, the top FAQs and the last messages', () => {
    const faqs = Array.from({ length: 8 }, (_, i) => ({ question: `Q${i}?`, answer: `A${i}.` }));
    const history = Array.from({ length: 10 }, (_, i) => ({
      role: i % 2 === 0 ? ('user' as const) : ('assistant' as const),
      content: `m${i}`,
    }));
    const request = buildPrompt({ profile, faqs, history, text: 'Una get lace?' });
    expect(request.system).toContain('Ada Fabrics');
    expect(request.system).toContain('ankara and lace');
    expect(request.system).toContain('Mon-Sat 9-6');
    expect(request.system).toContain('Q: Q4?');
    expect(request.system).toContain('A: A4.');
    expect(request.system).not.toContain('Q5?');
    expect(request.system).toMatch(/only from the information above/);
    expect(request.system).toMatch(/exactly HANDOFF/);
    expect(request.messages.map((m) => m.content)).toEqual([
      'm4',
      'm5',
      'm6',
      'm7',
      'm8',
      'm9',
      'Una get lace?',
    ]);
    expect(request.messages.at(-1)?.role).toBe('user');
  });

  it('says what is not stated', () => {
    const request = buildPrompt({
      profile: { name: 'X', sells: '', hours: '' },
      faqs: [],
      history: [],
      text: 'hi',
    });
    expect(request.system).toContain('Opening hours: not stated.');
    expect(request.system).toContain('(none)');
  });
});

describe('isHandoff', () => {
  it.each([
    ['HANDOFF', true],
    ['handoff', true],
    ['  Handoff.\n', true],
    ['HAND OFF', true],
    ['"HANDOFF"', true],
    ['I will HANDOFF you to the owner', false],
    ['Yes we deliver', false],
  ])('%j -> %s', (text, expected) => {
    expect(isHandoff(text)).toBe(expected);
  });
});

describe('describeHours', () => {
  it('is empty when hours are off and lists each day when on', () => {
    expect(describeHours(DEFAULT_WORKSPACE_SETTINGS.businessHours)).toBe('');
    const on = { ...DEFAULT_WORKSPACE_SETTINGS.businessHours, enabled: true };
    expect(describeHours(on)).toBe(
      'Mon 08:00-18:00; Tue 08:00-18:00; Wed 08:00-18:00; Thu 08:00-18:00; Fri 08:00-18:00; Sat 09:00-15:00; Sun closed',
    );
  });
});
