import { foldedWords, foldWord, exactForm } from './exact-form';

/**
 * Small talk: what customers write that is not a question. "hi", "good morning sir", "thanks!!", "ok",
 * "👍", "bye", "are you there?". decide() must not hand such a message to a person ("Someone will reply
 * shortly" after "thanks" is a bot that did not listen) nor take it for an unanswerable question, and a
 * greeting in front of a real question ("Good afternoon, do you have X?") must leave the question.
 *
 * The table is explained like the FAQ matcher's Pidgin table: each phrase with its kind and where it is
 * said. Phrases are matched on whole words after exactForm and with doubled letters folded ("hellooo",
 * "thankss", "okk"); a few polite words around them ("sir", "ma", "pls", "o") do not change the kind.
 */
export type SmallTalkKind = 'greeting' | 'thanks' | 'goodbye' | 'presence';

interface Phrase {
  text: string;
  kind: SmallTalkKind;
  /** Where it is said (for the owner reading the table): en, ng (Nigerian English), pcm (Pidgin), yo, ig, ha. */
  said: string;
}

const p = (kind: SmallTalkKind, said: string, ...texts: string[]): Phrase[] =>
  texts.map((text) => ({ text, kind, said }));

export const SMALL_TALK_TABLE: readonly Phrase[] = [
  ...p(
    'greeting',
    'en',
    'hi',
    'hii',
    'hey',
    'heya',
    'hiya',
    'hello',
    'helo',
    'hallo',
    'hullo',
    'howdy',
    'yo',
  ),
  ...p('greeting', 'en', 'hi there', 'hello there', 'hey there', 'greetings', 'good day', 'gm'),
  ...p('greeting', 'en', 'good morning', 'good afternoon', 'good evening', 'morning', 'afternoon', 'evening'),
  ...p('greeting', 'en', 'gud morning', 'gud afternoon', 'gud evening', 'good mrng', 'gd morning'),
  ...p('greeting', 'en', 'how are you', 'how are you doing', 'how r u', 'how are u', 'hope you are well'),
  ...p('greeting', 'en', 'hope you are doing well', 'how is it going', 'whats up', 'wassup', 'sup'),
  ...p('greeting', 'en', 'happy new year', 'merry christmas', 'happy sunday', 'compliments of the season'),
  ...p('greeting', 'ng', 'well done', 'weldone', 'una well done', 'how was your night', 'how is work'),
  ...p(
    'greeting',
    'pcm',
    'how far',
    'howfar',
    'hw far',
    'how body',
    'how you dey',
    'how una dey',
    'wetin dey',
  ),
  ...p('greeting', 'pcm', 'how market', 'how work', 'how the day', 'how family'),
  ...p('greeting', 'yo', 'e kaaro', 'ekaaro', 'e kaasan', 'ekaasan', 'e kale', 'ekale', 'bawo', 'bawo ni'),
  ...p('greeting', 'yo', 'ẹ kú àárọ̀', 'ẹ kú ọ̀sán', 'ẹ kú ìrọ̀lẹ́', 'ẹ kú alẹ́', 'ẹ n lẹ', 'pẹlẹ o'),
  ...p('greeting', 'ig', 'kedu', 'ndewo', 'nnoo'),
  ...p('greeting', 'ha', 'sannu', 'ina kwana', 'barka'),
  ...p('greeting', 'ar', 'salam', 'salaam', 'salam alaikum', 'assalamu alaikum', 'asalam alaikum'),
  ...p('thanks', 'en', 'thanks', 'thank you', 'thank u', 'thanku', 'thx', 'tnx', 'tnks', 'thanx', 'ty'),
  ...p('thanks', 'en', 'thanks a lot', 'thank you so much', 'thanks so much', 'thank you very much'),
  ...p('thanks', 'en', 'many thanks', 'much appreciated', 'i appreciate', 'appreciate it', 'appreciated'),
  ...p('thanks', 'en', 'ok', 'okay', 'oky', 'okey', 'k', 'kk', 'alright', 'alrite', 'all right', 'noted'),
  ...p('thanks', 'en', 'fine', 'great', 'cool', 'nice', 'good', 'perfect', 'sure', 'got it', 'understood'),
  ...p('thanks', 'en', 'i see', 'no problem', 'no wahala', 'np', 'wow', 'amen', 'lol', 'yes', 'yeah', 'yep'),
  ...p('thanks', 'ng', 'god bless', 'god bless you', 'tank you', 'tank u', 'tanks', 'thank God', 'ok noted'),
  ...p('thanks', 'pcm', 'i don hear', 'i hear', 'e do', 'na so', 'no vex', 'correct'),
  ...p('thanks', 'yo', 'e se', 'ese', 'o se', 'ose', 'e seun', 'eseun', 'o da', 'oda'),
  ...p('thanks', 'ig', 'daalu', 'dalu'),
  ...p('thanks', 'ha', 'na gode', 'nagode'),
  ...p('goodbye', 'en', 'bye', 'bye bye', 'goodbye', 'good night', 'goodnight', 'gn', 'see you', 'later'),
  ...p('goodbye', 'en', 'see you later', 'talk later', 'take care', 'have a nice day', 'have a good day'),
  ...p('goodbye', 'en', 'have a good one', 'cheers', 'till tomorrow'),
  ...p('goodbye', 'pcm', 'i dey go', 'make we talk later', 'we go talk'),
  ...p('goodbye', 'yo', 'o dabo', 'odabo', 'o di ola'),
  ...p('presence', 'en', 'are you there', 'r u there', 'are u there', 'you there', 'u there'),
  ...p('presence', 'en', 'anybody there', 'anyone there', 'is anyone there', 'is anybody there'),
  ...p('presence', 'en', 'reply me', 'reply', 'respond', 'hello are you there', 'any response'),
  ...p('presence', 'pcm', 'you dey', 'u dey', 'una dey', 'anybody dey', 'person dey', 'you dey there'),
];

/** Words that add politeness or emphasis and nothing else: "ok sir", "thanks ma", "hello o". */
const FILLERS = new Set(
  [
    'sir',
    'ma',
    'maam',
    'mam',
    'madam',
    'mum',
    'boss',
    'oga',
    'bro',
    'sis',
    'dear',
    'pls',
    'plz',
    'please',
    'abeg',
    'o',
    'oh',
    'ah',
    'eh',
    'again',
    'all',
    'everyone',
    'guys',
    'team',
    'una',
    'and',
    'so',
    'very',
    'much',
    'then',
    'too',
    'also',
  ].map(foldWord),
);

const tokens = foldedWords;

/** Phrases as folded token lists, longest first: "good morning" is taken before "good". */
const PHRASES: readonly { words: string[]; kind: SmallTalkKind }[] = SMALL_TALK_TABLE.map((e) => ({
  words: tokens(e.text),
  kind: e.kind,
})).sort((a, b) => b.words.length - a.words.length);

export interface SmallTalk {
  /** The message is small talk and nothing else. */
  only: boolean;
  /** What kind of small talk it holds, most telling first (presence > greeting > goodbye > thanks); null if none. */
  kind: SmallTalkKind | null;
  /**
   * The message without the small talk in front of it, in the customer's own words: the question
   * ("Good afternoon, do you have X?" -> "do you have X?"). The whole text when it starts with none.
   */
  rest: string;
}

const RANK: Record<SmallTalkKind, number> = { presence: 4, greeting: 3, goodbye: 2, thanks: 1 };

/** Reads the small talk in a customer's message (see the table above). */
export function readSmallTalk(text: string): SmallTalk {
  const words = tokens(text);
  if (words.length === 0) {
    // Nothing but emoji, punctuation or symbols: "👍", "🙏🏾", "?" ("??" is someone waiting for an answer).
    if (text.trim() === '') return { only: false, kind: null, rest: text };
    return { only: true, kind: /\?/.test(text) ? 'presence' : 'thanks', rest: '' };
  }
  let kind: SmallTalkKind | null = null;
  let i = 0;
  /** Where the greetings in front end: only they are a preamble to cut ("ok, and the price?" keeps its words). */
  let greetingEnd = 0;
  let greeted = false;
  let leading = true;
  while (i < words.length) {
    const phrase = PHRASES.find((ph) => ph.words.every((w, k) => words[i + k] === w));
    if (phrase !== undefined) {
      if (kind === null || RANK[phrase.kind] > RANK[kind]) kind = phrase.kind;
      i += phrase.words.length;
      if (phrase.kind !== 'greeting') leading = false;
      else if (leading) greeted = true;
    } else if (FILLERS.has(words[i]!)) {
      i += 1;
    } else {
      break;
    }
    if (leading) greetingEnd = i;
  }
  if (i === words.length && kind !== null) return { only: true, kind, rest: '' };
  if (!greeted) return { only: false, kind: null, rest: text };
  return { only: false, kind: 'greeting', rest: restAfterWords(text, greetingEnd) };
}

/**
 * The original text after its first `count` normalised words, so the question keeps the customer's
 * spelling and punctuation for the bot and the log.
 */
function restAfterWords(text: string, count: number): string {
  const pieces = text.split(/(\s+|[\p{P}\p{S}]+)/u);
  let seen = 0;
  let at = 0;
  for (const piece of pieces) {
    at += piece.length;
    if (exactForm(piece) !== '') {
      seen += exactForm(piece).split(' ').length;
      if (seen >= count) break;
    }
  }
  return text
    .slice(at)
    .replace(/^[\s\p{P}\p{S}]+/u, '')
    .trim();
}
