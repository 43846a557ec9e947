/**
 * How customers write to a Nigerian shop on WhatsApp, mapped to the plain English the FAQ phrasings are
 * usually typed in. It is data, not code: each rule says why it exists, so the owner-facing explanation
 * of a match can quote it, and a new rule is one line.
 *
 * Rules apply to whole tokens after lowercasing and punctuation stripping. Phrase rules run first (the
 * longest match wins), so context-dependent Pidgin words are mapped only where their meaning is sure:
 * "fit" means "can" after a pronoun ("I fit pay for door?") but is a word about clothes elsewhere ("e go
 * fit me?" keeps it). A `to` of '' drops the token (discourse particles that carry no meaning).
 */

export interface NormalisationRule {
  /** Space-separated lowercase tokens. */
  readonly from: string;
  /** What it becomes; '' removes it. */
  readonly to: string;
  readonly why: string;
}

const PRONOUN_FORMS: Record<string, string> = {
  i: 'i',
  you: 'you',
  u: 'you',
  una: 'you',
  we: 'we',
  e: 'it',
  dem: 'they',
  they: 'they',
  it: 'it',
};

/**
 * "una fit" -> "you can", "e dey" -> "it is" ...: a Pidgin verb marker after a subject. Each rule lists
 * the subjects it is safe after; English "it fits" or "how do I get" must not change meaning.
 */
function pronounRules(
  word: string,
  subjects: readonly string[],
  meaning: (subject: string) => string,
  why: string,
): NormalisationRule[] {
  return subjects.map((pidgin) => {
    const english = PRONOUN_FORMS[pidgin] ?? pidgin;
    return { from: `${pidgin} ${word}`, to: meaning(english), why };
  });
}

const ALL_SUBJECTS = Object.keys(PRONOUN_FORMS);
/** Subjects that only Pidgin puts before these words ("una get", "e go"). */
const PIDGIN_SUBJECTS = ['una', 'e', 'dem'];

const BE: Record<string, string> = { i: 'am', you: 'are', we: 'are', they: 'are', it: 'is' };

export const PHRASE_RULES: readonly NormalisationRule[] = [
  { from: 'how much be', to: 'how much is', why: 'Pidgin copula "be": "how much be the cream?"' },
  { from: 'how much e be', to: 'how much is it', why: 'Pidgin: "how much e be?" is "how much is it?"' },
  { from: 'na how much', to: 'how much is', why: 'Pidgin: "na how much?" is "how much is it?"' },
  { from: 'wetin be', to: 'what is', why: 'Pidgin "wetin be" is "what is"' },
  {
    from: 'last price',
    to: 'final price discount',
    why: 'Nigerian English: the lowest price after haggling',
  },
  { from: 'on ground', to: 'available', why: 'Nigerian English: "is it on ground?" means "in stock"' },
  { from: 'never reach', to: 'not arrived', why: 'Pidgin "never" is "not yet"; "reach" is "arrive"' },
  { from: 'don reach', to: 'has arrived', why: 'Pidgin perfect "don" + "reach" (arrive)' },
  { from: 'no be', to: 'is not', why: 'Pidgin negative copula' },
  { from: 'make i', to: 'let me', why: 'Pidgin "make i" is "let me"' },
  { from: 'wey dey', to: 'that is', why: 'Pidgin relative clause "wey dey"' },
  { from: 'which side', to: 'where', why: 'Pidgin "which side" is "where"' },
  { from: 'sharp sharp', to: 'quickly', why: 'Pidgin reduplication: "quickly"' },
  { from: 'now now', to: 'immediately', why: 'Nigerian English reduplication: "right now"' },
  { from: 'dispatch rider', to: 'delivery', why: 'Nigerian English: the delivery motorbike' },
  { from: 'pikin dem', to: 'children', why: 'Pidgin plural marker "dem"' },
  { from: 'tank you', to: 'thanks', why: 'spelling of "thank you"' },
  { from: 'thank you', to: 'thanks', why: 'one form for thanks' },
  // "it fits" and "they fit well" are about clothes: "fit" is "can" only after these.
  ...pronounRules(
    'fit',
    ['i', 'you', 'u', 'una', 'we', 'dem'],
    (s) => `${s} can`,
    'Pidgin modal "fit" (can)',
  ),
  ...pronounRules(
    'dey',
    ALL_SUBJECTS,
    (s) => `${s} ${BE[s] ?? 'is'}`,
    'Pidgin "dey" (is / are) after a subject',
  ),
  ...pronounRules('don', ALL_SUBJECTS, (s) => `${s} ${s === 'it' ? 'has' : 'have'}`, 'Pidgin perfect "don"'),
  ...pronounRules('go', PIDGIN_SUBJECTS, (s) => `${s} will`, 'Pidgin future "go" (will)'),
  ...pronounRules(
    'get',
    PIDGIN_SUBJECTS,
    (s) => (s === 'it' ? 'there is' : `${s} have`),
    'Pidgin "get" (have)',
  ),
  ...pronounRules('wan', ALL_SUBJECTS, (s) => `${s} want`, 'Pidgin "wan" is "want"'),
];

export const WORD_RULES: readonly NormalisationRule[] = [
  // Pidgin and Nigerian English words.
  { from: 'wetin', to: 'what', why: 'Pidgin "wetin" is "what"' },
  { from: 'una', to: 'you', why: 'Pidgin plural "you"' },
  { from: 'dey', to: 'is', why: 'Pidgin "dey" (is / are)' },
  { from: 'abeg', to: 'please', why: 'Pidgin "abeg" is "please"' },
  { from: 'biko', to: 'please', why: 'Igbo "biko" is "please"' },
  { from: 'wan', to: 'want', why: 'Pidgin "wan" is "want"' },
  { from: 'sabi', to: 'know', why: 'Pidgin "sabi" is "know"' },
  { from: 'na', to: 'is', why: 'Pidgin focus copula "na"' },
  { from: 'don', to: 'have', why: 'Pidgin perfect marker "don"' },
  { from: 'comot', to: 'leave', why: 'Pidgin "comot" is "go out / leave / remove"' },
  { from: 'pikin', to: 'child', why: 'Pidgin "pikin" is "child"' },
  { from: 'wahala', to: 'problem', why: 'Pidgin "wahala" is "trouble"' },
  { from: 'chop', to: 'eat', why: 'Pidgin "chop" is "eat / food"' },
  { from: 'dem', to: 'they', why: 'Pidgin "dem" is "they"' },
  { from: 'wey', to: 'that', why: 'Pidgin relative "wey"' },
  { from: 'waybill', to: 'ship delivery', why: 'Nigerian English: send goods by bus or courier' },
  { from: 'dispatch', to: 'delivery', why: 'Nigerian English: delivery by a rider' },
  { from: 'pos', to: 'pos card', why: 'Nigerian English: paying by card at a POS terminal' },
  { from: 'ego', to: 'money', why: 'Igbo "ego" is "money"' },
  { from: 'owo', to: 'money', why: 'Yoruba "owo" is "money"' },
  { from: 'kudi', to: 'money', why: 'Hausa "kudi" is "money"' },
  { from: 'waka', to: 'walk', why: 'Pidgin "waka" is "walk / go"' },
  { from: 'wia', to: 'where', why: 'Pidgin spelling of "where"' },
  { from: 'wer', to: 'where', why: 'Pidgin spelling of "where"' },
  { from: 'dis', to: 'this', why: 'Pidgin spelling of "this"' },
  { from: 'dat', to: 'that', why: 'Pidgin spelling of "that"' },
  { from: 'e', to: 'it', why: 'Pidgin subject pronoun "e" (it / he / she)' },
  // Discourse particles: they soften or stress, and carry no meaning for matching.
  ...['o', 'oo', 'jor', 'jare', 'sha', 'sef', 'abi', 'shey', 'oya', 'kuku', 'ehn', 'ehen'].map(
    (from): NormalisationRule => ({ from, to: '', why: 'Pidgin discourse particle' }),
  ),
  ...['oga', 'madam', 'ma', 'sir', 'sah', 'bros', 'sis', 'aunty'].map((from): NormalisationRule => ({
    from,
    to: '',
    why: 'form of address',
  })),
  // SMS and chat spellings.
  { from: 'pls', to: 'please', why: 'chat abbreviation' },
  { from: 'plz', to: 'please', why: 'chat abbreviation' },
  { from: 'plis', to: 'please', why: 'chat spelling' },
  { from: 'pliz', to: 'please', why: 'chat spelling' },
  { from: 'kindly', to: 'please', why: 'Nigerian English politeness marker' },
  { from: 'u', to: 'you', why: 'chat abbreviation' },
  { from: 'yu', to: 'you', why: 'chat spelling' },
  { from: 'ur', to: 'your', why: 'chat abbreviation' },
  { from: 'r', to: 'are', why: 'chat abbreviation' },
  { from: 'd', to: 'the', why: 'chat abbreviation' },
  { from: 'da', to: 'the', why: 'chat spelling' },
  { from: 'hw', to: 'how', why: 'chat abbreviation' },
  { from: 'wat', to: 'what', why: 'chat spelling' },
  { from: 'wht', to: 'what', why: 'chat abbreviation' },
  { from: 'wot', to: 'what', why: 'chat spelling' },
  { from: 'whats', to: 'what is', why: 'missing apostrophe' },
  { from: 'wats', to: 'what is', why: 'chat spelling' },
  { from: 'wen', to: 'when', why: 'chat spelling' },
  { from: 'cos', to: 'because', why: 'chat abbreviation' },
  { from: 'coz', to: 'because', why: 'chat abbreviation' },
  { from: 'bcos', to: 'because', why: 'chat abbreviation' },
  { from: 'cuz', to: 'because', why: 'chat abbreviation' },
  { from: 'abt', to: 'about', why: 'chat abbreviation' },
  { from: '2day', to: 'today', why: 'chat spelling' },
  { from: 'tday', to: 'today', why: 'chat spelling' },
  { from: '2moro', to: 'tomorrow', why: 'chat spelling' },
  { from: '2mrw', to: 'tomorrow', why: 'chat spelling' },
  { from: 'tmrw', to: 'tomorrow', why: 'chat abbreviation' },
  { from: 'tmr', to: 'tomorrow', why: 'chat abbreviation' },
  { from: 'tomoro', to: 'tomorrow', why: 'chat spelling' },
  { from: 'b4', to: 'before', why: 'chat spelling' },
  { from: 'nite', to: 'night', why: 'chat spelling' },
  { from: 'gud', to: 'good', why: 'chat spelling' },
  { from: 'msg', to: 'message', why: 'chat abbreviation' },
  { from: 'pic', to: 'picture', why: 'chat abbreviation' },
  { from: 'pics', to: 'pictures', why: 'chat abbreviation' },
  { from: 'pix', to: 'pictures', why: 'chat abbreviation' },
  { from: 'addy', to: 'address', why: 'chat abbreviation' },
  { from: 'acct', to: 'account', why: 'abbreviation' },
  { from: 'acc', to: 'account', why: 'abbreviation' },
  { from: 'amt', to: 'amount', why: 'abbreviation' },
  { from: 'trf', to: 'transfer', why: 'Nigerian banking abbreviation' },
  { from: 'trsf', to: 'transfer', why: 'Nigerian banking abbreviation' },
  { from: 'avail', to: 'available', why: 'abbreviation' },
  { from: 'hrs', to: 'hours', why: 'abbreviation' },
  { from: 'hr', to: 'hour', why: 'abbreviation' },
  { from: 'mins', to: 'minutes', why: 'abbreviation' },
  { from: 'wk', to: 'week', why: 'abbreviation' },
  { from: 'thx', to: 'thanks', why: 'chat abbreviation' },
  { from: 'tnx', to: 'thanks', why: 'chat abbreviation' },
  { from: 'tanks', to: 'thanks', why: 'chat spelling' },
  { from: 'gonna', to: 'going to', why: 'informal contraction' },
  { from: 'wanna', to: 'want to', why: 'informal contraction' },
  { from: 'gimme', to: 'give me', why: 'informal contraction' },
  { from: 'lemme', to: 'let me', why: 'informal contraction' },
  { from: 'im', to: 'i am', why: 'missing apostrophe' },
  { from: 'ive', to: 'i have', why: 'missing apostrophe' },
  { from: 'dont', to: 'do not', why: 'missing apostrophe' },
  { from: 'dnt', to: 'do not', why: 'chat abbreviation' },
  { from: 'doesnt', to: 'does not', why: 'missing apostrophe' },
  { from: 'didnt', to: 'did not', why: 'missing apostrophe' },
  { from: 'cant', to: 'can not', why: 'missing apostrophe' },
  { from: 'cannot', to: 'can not', why: 'one form for the negative' },
  { from: 'isnt', to: 'is not', why: 'missing apostrophe' },
  { from: 'wasnt', to: 'was not', why: 'missing apostrophe' },
  { from: 'havent', to: 'have not', why: 'missing apostrophe' },
  { from: 'hasnt', to: 'has not', why: 'missing apostrophe' },
  { from: 'wont', to: 'will not', why: 'missing apostrophe' },
  { from: 'couldnt', to: 'could not', why: 'missing apostrophe' },
  { from: 'shouldnt', to: 'should not', why: 'missing apostrophe' },
  { from: 'arent', to: 'are not', why: 'missing apostrophe' },
  { from: 'numba', to: 'number', why: 'chat spelling' },
  { from: 'nomba', to: 'number', why: 'Pidgin spelling' },
  // American spellings, read as the British ones most Nigerian shops write (-ize verbs: see match-tokens.ts).
  ...[
    ['color', 'colour'],
    ['colors', 'colours'],
    ['flavor', 'flavour'],
    ['flavors', 'flavours'],
    ['favorite', 'favourite'],
    ['center', 'centre'],
    ['catalog', 'catalogue'],
    ['jewelry', 'jewellery'],
    ['gray', 'grey'],
    ['canceled', 'cancelled'],
    ['canceling', 'cancelling'],
    ['traveling', 'travelling'],
    ['license', 'licence'],
    ['mom', 'mum'],
    ['pajamas', 'pyjamas'],
    ['aluminum', 'aluminium'],
    ['liter', 'litre'],
    ['behavior', 'behaviour'],
    ['neighbor', 'neighbour'],
    ['labor', 'labour'],
    ['honor', 'honour'],
    ['cheque', 'check'],
  ].map(([from, to]): NormalisationRule => ({ from: from!, to: to!, why: 'British and American spelling' })),
];

/** English contractions, expanded before punctuation is stripped (the apostrophe carries them). */
export const CONTRACTIONS: readonly (readonly [RegExp, string])[] = [
  [/\bwon't\b/g, 'will not'],
  [/\bcan't\b/g, 'can not'],
  [/\bain't\b/g, 'is not'],
  [/n't\b/g, ' not'],
  [/'re\b/g, ' are'],
  [/'ve\b/g, ' have'],
  [/'ll\b/g, ' will'],
  [/'d\b/g, ' would'],
  [/\bi'm\b/g, 'i am'],
  [/'s\b/g, ''],
];

/** Symbols that mean a word (prices are asked with them). */
export const SYMBOL_WORDS: Readonly<Record<string, string>> = {
  '₦': ' naira ',
  $: ' dollar ',
  '£': ' pound ',
  '€': ' euro ',
  '&': ' and ',
  '%': ' percent ',
  '@': ' at ',
};
