import { describe, expect, it } from 'vitest';
import { createMemorySink } from '../../testing/memory-sink';
import { createLogger } from '../../log/logger';
import { CALIBRATION, confidence } from './calibration';
import { createFaqMatcher, type FaqInput } from './faq-matcher';
import { PHARMACY_FAQS } from './testing/shop-faqs';

function pharmacy(threshold?: number) {
  const matcher = createFaqMatcher({ threshold });
  for (const faq of PHARMACY_FAQS) matcher.upsert(faq);
  return matcher;
}

const best = (matcher: ReturnType<typeof pharmacy>, text: string) => matcher.tryMessage(text)[0];

/** How customers write to the pharmacy, and the FAQ that answers each. */
const CUSTOMER_MESSAGES: [string, string][] = [
  ['Abeg una dey open for Sunday?? 🙏🙏', 'hours'],
  ['wat time una dey close', 'hours'],
  ['Are you open today pleaseee', 'hours'],
  ['how much be paracetamol', 'price-paracetamol'],
  ['I wan buy panadol, how much e be', 'price-paracetamol'],
  ['PARACETAMOL PRICE?', 'price-paracetamol'],
  ['pls do una deliver to ikeja', 'delivery'],
  ['una fit bring am come my house', 'delivery'],
  ['Wetin be una address', 'location'],
  ['Where una shop dey?', 'location'],
  ['which side una dey', 'location'],
  ['can I pay with transfa', 'payment'],
  ['una dey collect POS?', 'payment'],
  ['I fit pay when e reach?', 'payment'],
  ['my drug don expire, I want refund', 'returns'],
  ['I want to return what I bought', 'returns'],
  ['I need antibiotics but I no get prescription', 'prescription'],
  ['abeg make I talk to pharmacist', 'pharmacist'],
];

describe('FAQ matcher on a pharmacy FAQ', () => {
  it.each(CUSTOMER_MESSAGES)('"%s" -> %s', (text, faqId) => {
    expect(best(pharmacy(), text)?.faqId).toBe(faqId);
  });

  it('answers most of those messages at the default threshold, and correctly', () => {
    const matcher = pharmacy();
    let answered = 0;
    for (const [text, faqId] of CUSTOMER_MESSAGES) {
      const [match] = matcher.match(text);
      if (match === undefined) continue;
      answered++;
      expect(match.faqId, text).toBe(faqId);
    }
    expect(answered / CUSTOMER_MESSAGES.length).toBeGreaterThanOrEqual(0.75);
  });

  it.each(['who won the match yesterday', 'do you sell car tyres', 'hello', 'ok', 'I love you', '🙏🏾🙏🏾'])(
    'abstains on "%s"',
    (text) => {
      expect(pharmacy().match(text)).toEqual([]);
    },
  );

  it('abstains below the threshold it was given, and answers above it', () => {
    const text = 'how much is delivry to ajah';
    const { confidence: c } = best(pharmacy(), text)!;
    expect(pharmacy(c + 0.01).match(text)).toEqual([]);
    expect(pharmacy(c - 0.01).match(text)[0]?.faqId).toBe('delivery');
    expect(pharmacy().match(text, { threshold: c + 0.01 })).toEqual([]);
  });

  it('returns several matches best first, each with a confidence in [0, 1]', () => {
    const matches = pharmacy().match('can you deliver and can I pay on delivery', { limit: 3, threshold: 0 });
    expect(matches).toHaveLength(3);
    for (const m of matches) {
      expect(m.confidence).toBeGreaterThanOrEqual(0);
      expect(m.confidence).toBeLessThanOrEqual(1);
    }
    expect(matches[0]!.confidence).toBeGreaterThanOrEqual(matches[1]!.confidence);
    expect(new Set(matches.map((m) => m.faqId)).size).toBe(3);
  });
});

describe('a small shop', () => {
  const SMALL: FaqInput[] = [
    { id: 'hours', question: 'What time do you open?', phrasings: [], enabled: true },
    { id: 'delivery', question: 'How much is delivery?', phrasings: [], enabled: true },
    { id: 'price', question: 'Price?', phrasings: [], enabled: true },
  ];
  it('does not answer a question that shares only words like "do" and "you" with an FAQ', () => {
    const matcher = createFaqMatcher({ threshold: 0.55 });
    for (const faq of SMALL) matcher.upsert(faq);
    // With three FAQs "do" and "you" look rare, so their weight alone could clear the threshold.
    expect(matcher.match('Do you sell baby diapers?')).toEqual([]);
    const tried = matcher.tryMessage('Do you sell baby diapers?')[0]!;
    expect(tried.confidence).toBeLessThanOrEqual(0.1);
    expect(tried.explanation.notes).toContain('matched on common words only');
    // A real content word still carries a match.
    expect(matcher.match('Do you open on Sunday?')[0]?.faqId).toBe('hours');
    expect(matcher.match('And delivery to Ikeja?')[0]?.faqId).toBe('delivery');
  });
});

describe('the common-words cap', () => {
  it('counts question words as meaning: "which side" (where) is the location question', () => {
    const match = best(pharmacy(), 'Which side una dey?')!;
    expect(match.faqId).toBe('location');
    expect(match.explanation.notes).not.toContain('matched on common words only');
    expect(match.confidence).toBeGreaterThan(0.1);
  });

  it('does not let fillers like "today", "pls", "sir" lower coverage', () => {
    const plain = best(pharmacy(), 'are you open on sunday')!;
    const padded = best(pharmacy(), 'are you open on sunday today pls sir o')!;
    expect(padded.faqId).toBe('hours');
    expect(padded.signals.coverage).toBe(plain.signals.coverage);
    expect(padded.signals.unknown).toBe(0);
  });

  it('caps "do you sell <something no FAQ has>", not a request for something an FAQ has', () => {
    const matcher = pharmacy();
    const wigs = best(matcher, 'Do you sell wigs?')!;
    expect(wigs.confidence).toBeLessThanOrEqual(0.1);
    expect(wigs.explanation.notes).toContain('matched on common words only');
    expect(matcher.match('Do you sell wigs?')).toEqual([]);
    const [panadol] = matcher.match('do you sell panadol');
    expect(panadol?.faqId).toBe('price-paracetamol');
  });
});

describe('explanations', () => {
  it('names the phrasing and the words that carried a match, and the Pidgin it read', () => {
    const match = best(pharmacy(), 'Abeg una dey open for Sunday??')!;
    expect(match.explanation.matchedPhrasing).toBe('are you open on sunday');
    expect(match.explanation.words).toContain('open');
    expect(match.explanation.words).toContain('sunday');
    expect(match.explanation.words).not.toContain('please');
    expect(match.explanation.notes).toContain('"abeg" read as "please" (Pidgin "abeg" is "please")');
    expect(match.explanation.notes.some((n) => n.startsWith('"una dey" read as "you are"'))).toBe(true);
  });

  it('reads a misspelt word as the FAQ word it is a typo of, and says so', () => {
    const match = best(pharmacy(), 'how much is delivry to lekki')!;
    expect(match.faqId).toBe('delivery');
    expect(match.explanation.words).toContain('delivery');
    expect(match.explanation.notes).toContain(
      '"delivry" read as "delivery" (spelling: close to a word of the FAQs)',
    );
  });

  it('tryMessage gives the top three with confidence, explanation and whether it would answer', () => {
    const tried = pharmacy().tryMessage('una get panadol?');
    expect(tried).toHaveLength(3);
    expect(tried[0]!.faqId).toBe('price-paracetamol');
    expect(tried[0]!.explanation.words).toContain('panadol');
    expect(tried.map((t) => t.wouldAnswer)).toEqual(tried.map((t) => t.confidence >= 0.55));
    expect(tried[1]!.wouldAnswer).toBe(false);
  });
});

describe('incremental updates', () => {
  it('an edited FAQ changes the next match, without retraining from scratch', () => {
    const matcher = pharmacy();
    expect(matcher.match('do you sell condoms')).toEqual([]);
    const builds = matcher.stats().fullBuilds;
    matcher.upsert({
      id: 'family-planning',
      question: 'Do you sell condoms?',
      phrasings: ['do you have condoms', 'family planning products', 'i need durex'],
      enabled: true,
    });
    expect(matcher.match('una get condom?')[0]?.faqId).toBe('family-planning');
    // A new phrasing on an existing FAQ moves a message to it.
    expect(best(matcher, 'do you sell glucose test strips')?.faqId).not.toBe('price-paracetamol');
    const paracetamol = PHARMACY_FAQS.find((f) => f.id === 'price-paracetamol')!;
    matcher.upsert({ ...paracetamol, phrasings: [...paracetamol.phrasings, 'glucose test strips price'] });
    expect(matcher.match('how much be glucose test strips')[0]?.faqId).toBe('price-paracetamol');
    expect(matcher.stats().fullBuilds).toBe(builds);
  });

  it('a removed or disabled FAQ is no longer matched', () => {
    const matcher = pharmacy();
    expect(matcher.match('una dey open for sunday')[0]?.faqId).toBe('hours');
    matcher.upsert({ ...PHARMACY_FAQS[0]!, enabled: false });
    expect(matcher.tryMessage('una dey open for sunday').map((m) => m.faqId)).not.toContain('hours');
    matcher.upsert(PHARMACY_FAQS[0]!);
    expect(matcher.match('una dey open for sunday')[0]?.faqId).toBe('hours');
    expect(matcher.remove('hours')).toBe(true);
    expect(matcher.remove('hours')).toBe(false);
    expect(matcher.tryMessage('una dey open for sunday').map((m) => m.faqId)).not.toContain('hours');
  });

  it('rebuilds once after many changes, and matches the same afterwards', () => {
    const matcher = pharmacy();
    matcher.warmUp();
    for (let i = 0; i < 10; i++) {
      matcher.upsert({
        id: `extra-${i}`,
        question: `Do you stock brand ${i} vitamins`,
        phrasings: [],
        enabled: true,
      });
    }
    expect(best(matcher, 'una dey open for sunday')?.faqId).toBe('hours');
    expect(matcher.stats().fullBuilds).toBe(2);
  });

  it('an empty matcher and a message with no words return nothing', () => {
    expect(createFaqMatcher().match('hello')).toEqual([]);
    expect(pharmacy().tryMessage('!!! 🙏')).toEqual([]);
  });

  it('logs how long a full build took', () => {
    const sink = createMemorySink();
    const matcher = createFaqMatcher({ logger: createLogger({ sinks: [sink] }) });
    for (const faq of PHARMACY_FAQS) matcher.upsert(faq);
    matcher.match('hello');
    expect(sink.ofType('faq.index_built')).toHaveLength(1);
    expect(sink.ofType('faq.index_built')[0]!.meta).toMatchObject({ faqs: PHARMACY_FAQS.length });
  });
});

/** Made-up product names, so a big catalogue of FAQs competes with the shop's own. */
function productName(i: number): string {
  const a = ['zo', 'ka', 'lu', 'mi', 've', 'ra', 'no', 'ti', 'pe', 'su'];
  const b = ['vex', 'drin', 'lax', 'mol', 'fen', 'zole', 'cin', 'tab', 'gel', 'sol'];
  return `${a[i % 10]}${a[Math.floor(i / 10) % 10]}${b[Math.floor(i / 100) % 10]}`;
}

function catalogue(count: number): FaqInput[] {
  return Array.from({ length: count }, (_, i) => {
    const name = productName(i);
    return {
      id: `product-${i}`,
      question: `Do you have ${name}?`,
      phrasings: [`is ${name} available`, `how much is ${name}`, `${name} price`, `i want to buy ${name}`],
      enabled: true,
    };
  });
}

describe('coverage', () => {
  it('names the rare words of a message that the matched FAQ never uses, and lowers confidence for them', () => {
    const matcher = pharmacy();
    const plain = best(matcher, 'Do you deliver?')!;
    const wider = best(matcher, 'Do you deliver to Kano on sundays')!;
    expect(wider.faqId).toBe('delivery');
    expect(wider.explanation.notes).toContain('not in this FAQ\'s phrasings: "kano", "sundays"');
    expect(wider.signals.coverage).toBeLessThan(0.5);
    expect(plain.signals.coverage).toBe(1);
    expect(plain.explanation.notes.some((n) => n.startsWith('not in this FAQ'))).toBe(false);
    // Same score signals, less coverage: less confidence.
    const lower = confidence({ ...plain.signals, coverage: wider.signals.coverage });
    expect(lower).toBeLessThan(plain.confidence);
  });
});

describe('calibration', () => {
  it('is a probability that grows with the lead over the next FAQ', () => {
    const low = confidence({ score: 0.4, margin: 0.02, nearest: 0.3, coverage: 1 });
    const high = confidence({ score: 0.4, margin: 0.3, nearest: 0.3, coverage: 1 });
    expect(low).toBeGreaterThan(0);
    expect(high).toBeLessThan(1);
    expect(high).toBeGreaterThan(low);
    expect(CALIBRATION.margin).toBeGreaterThan(0);
  });

  it('the same threshold answers about as often with 10 FAQs as with 1,000', () => {
    const small = pharmacy();
    const big = pharmacy();
    for (const faq of catalogue(992)) big.upsert(faq);
    expect(big.size).toBe(1000);
    const rate = (matcher: typeof small, messages: string[]) =>
      messages.filter((text) => matcher.match(text).length > 0).length / messages.length;
    const inScope = CUSTOMER_MESSAGES.map(([text]) => text);
    const smallRate = rate(small, inScope);
    const bigRate = rate(big, inScope);
    expect(smallRate).toBeGreaterThanOrEqual(0.75);
    expect(Math.abs(smallRate - bigRate)).toBeLessThanOrEqual(0.15);
    // What the big shop answers, it answers right.
    for (const [text, faqId] of CUSTOMER_MESSAGES) {
      const [match] = big.match(text);
      if (match !== undefined) expect(match.faqId, text).toBe(faqId);
    }
    // What neither shop can answer gets the same treatment in both: "I need a plumber" no longer reaches
    // "Do I need a prescription?" on "need", a request word, since "plumber" is a word no FAQ knows.
    const outOfScope = ['who won the match yesterday', 'I need a plumber', 'do you sell car tyres', 'hello'];
    expect(rate(small, outOfScope)).toBe(0);
    expect(rate(big, outOfScope)).toBe(0);
    // The catalogue's own questions are answered in the big shop.
    expect(big.match(`how much be ${productName(321)}`)[0]?.faqId).toBe('product-321');
  });
});
