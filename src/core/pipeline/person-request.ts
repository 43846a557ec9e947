import { foldedWords, foldWord } from './exact-form';

/**
 * Is the customer asking for a person? "please let me talk to someone", "I want to speak with somebody",
 * "connect me to an agent", "call me", "abeg make I talk to person", "are you a bot?". A request must be
 * recognised as such (acknowledged, the owner alerted, again if the chat already waits), not merely hand
 * off because the bot could not answer it and then sit in Unanswered as if it were a question.
 *
 * Read as words after exactForm, with doubled letters folded and one-letter typos forgiven in
 * longer words ("somone", "speek", "representive"): a verb of talking followed within a few words by
 * someone to talk to, a request to be called, or a question whether a person is there at all.
 */

/** Someone to talk to. Several words are matched as one ("customer care"). */
const PEOPLE = [
  'person',
  'pesin',
  'human',
  'human being',
  'agent',
  'live agent',
  'someone',
  'somebody',
  'anybody',
  'anyone',
  'one person',
  'real person',
  'live person',
  'representative',
  'rep',
  'staff',
  'manager',
  'owner',
  'your boss',
  'oga',
  'madam',
  'attendant',
  'operator',
  'admin',
  'customer care',
  'customer service',
  'customer support',
  'support',
  'sales person',
  'salesperson',
  'sales rep',
  'you people',
  'una',
];

/** Verbs of talking with someone (English, Nigerian English, Pidgin "yarn", "tok"), and short misspellings. */
const TALK = ['talk', 'speak', 'chat', 'discuss', 'connect', 'transfer', 'reach', 'contact', 'yarn', 'tok'];
const TALK_MISSPELT = ['tlk', 'tak', 'tawk', 'spk', 'spek', 'spik', 'speek', 'speack'];

/** A request to be called back. */
const CALL_PATTERNS = [
  'call me',
  'call me back',
  'give me a call',
  'ring me',
  'phone me',
  'make una call me',
  'make person call me',
  'can someone call me',
  'someone should call me',
  'i want a call',
  'i need a call',
  'put me through',
];

/** Asking whether a person is there at all: they do not want the machine. */
const BOT_QUESTIONS = [
  'are you a bot',
  'are you a robot',
  'is this a bot',
  'is this a robot',
  'am i talking to a bot',
  'am i chatting with a bot',
  'am i talking to a machine',
  'are you human',
  'are you a human',
  'is this a human',
  'is there a human',
  'is there a person',
  'na robot',
  'na machine',
];

/** How many words may stand between the verb and the person ("talk to one of your staff"). */
const GAP = 4;

const words = foldedWords;

const TALK_WORDS = new Set([...TALK, ...TALK_MISSPELT].map(foldWord));
const PEOPLE_PHRASES = PEOPLE.map(words);
const CALLS = CALL_PATTERNS.map(words);
const BOTS = BOT_QUESTIONS.map(words);
/** The words typos are corrected to: long enough that one letter off is still clearly the same word. */
const VOCABULARY = [
  ...new Set([...TALK_WORDS, ...PEOPLE_PHRASES.flat(), ...CALLS.flat(), ...BOTS.flat()]),
].filter((w) => w.length >= 5);

/** Damerau-Levenshtein distance of at most one (one letter added, dropped, changed or two swapped). */
function withinOne(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

function corrected(word: string): string {
  if (word.length < 5) return word;
  return VOCABULARY.find((v) => withinOne(word, v)) ?? word;
}

const startsAt = (text: string[], at: number, phrase: string[]) => phrase.every((w, k) => text[at + k] === w);
const contains = (text: string[], phrase: string[]) => text.some((_, at) => startsAt(text, at, phrase));

/** What in the message asks for a person ("talk ... someone", "call me"), or null when nothing does. */
export function findPersonRequest(text: string): string | null {
  const said = words(text).map(corrected);
  if (said.length === 0) return null;
  for (const [i, call] of CALLS.entries()) if (contains(said, call)) return CALL_PATTERNS[i]!;
  for (const [i, bot] of BOTS.entries()) if (contains(said, bot)) return BOT_QUESTIONS[i]!;
  for (let at = 0; at < said.length; at++) {
    if (!TALK_WORDS.has(said[at]!)) continue;
    for (let k = at + 1; k <= Math.min(said.length - 1, at + GAP + 1); k++) {
      // "I will talk to my oga first" is the customer's own boss, not a request for the shop's.
      if (said[k - 1] === 'my') continue;
      const person = PEOPLE_PHRASES.find((ph) => startsAt(said, k, ph));
      if (person !== undefined) return `${said[at]} ... ${PEOPLE[PEOPLE_PHRASES.indexOf(person)]!}`;
    }
  }
  return null;
}
