/**
 * The customer's own words for what the owner's FAQ says another way. A customer asks "which plaza is
 * your store?" of an FAQ phrased "where is your shop?", "can you fix my screen?" of "do you repair
 * screens?", "una collect POS?" of "how can I pay?". Letter pieces and stems cannot bring those together.
 *
 * Each group names one meaning. A word or phrase of a group adds the group's meaning word to the text's
 * features (it does not replace the word: "transfer" still tells a bank's "transfer" FAQs from its "card"
 * ones), on both sides: the FAQ phrasings and the message. So "store" and "address" meet "shop" on the
 * word "location", whichever of them the owner typed. Words are compared by stem, so "located",
 * "locate" and "locating" are one entry.
 *
 * The owner can add groups of their own ("in my shop these mean the same": `faq.synonyms` in the
 * workspace settings); theirs are read the same way, after these.
 */
import { stem } from './stemmer';

export interface SynonymGroup {
  /** The meaning word added to the features. */
  readonly means: string;
  /** Words and phrases (space-separated, lowercase) that carry that meaning. */
  readonly words: readonly string[];
  readonly why: string;
}

export const SYNONYM_GROUPS: readonly SynonymGroup[] = [
  {
    means: 'location',
    words: ['shop', 'store', 'address', 'location', 'located', 'situated', 'directions', 'landmark'],
    why: 'where the shop is',
  },
  {
    means: 'repair',
    words: ['fix', 'repair', 'mend', 'replace', 'replacement', 'change'],
    why: 'getting something repaired or replaced',
  },
  {
    means: 'original',
    words: ['original', 'genuine', 'authentic', 'fake', 'clone', 'counterfeit', 'first copy', 'first grade'],
    why: 'whether goods are genuine ("first copy" is a Nigerian English name for a replica)',
  },
  {
    means: 'pay',
    words: [
      'pay',
      'cash',
      'transfer',
      'pos',
      'account number',
      'account details',
      'bank details',
      'account no',
    ],
    why: 'ways to pay (a POS is the card terminal)',
  },
  {
    means: 'delivery',
    words: ['deliver', 'delivery', 'bring', 'send', 'dispatch', 'waybill', 'ship', 'shipping', 'drop off'],
    why: 'getting goods to the customer ("waybill" is sending by bus or courier)',
  },
  {
    means: 'spicy',
    words: ['spicy', 'spice', 'hot', 'pepper', 'peppery'],
    why: '"pepper" and "hot" mean spicy',
  },
  { means: 'price', words: ['price', 'cost', 'how much', 'amount', 'rate'], why: 'asking what it costs' },
  {
    means: 'hours',
    words: ['open', 'close', 'opening', 'closing', 'hours', 'closed'],
    why: 'when the shop opens and closes',
  },
  {
    means: 'diaper',
    words: ['diaper', 'pampers', 'nappy', 'nappies'],
    why: '"Pampers" is said for any diaper',
  },
  {
    means: 'secondhand',
    words: ['uk used', 'tokunbo', 'fairly used', 'second hand', 'secondhand', 'london used', 'belgium used'],
    why: '"tokunbo" and "UK used" are imported second-hand goods',
  },
  {
    means: 'instalment',
    words: [
      'instalment',
      'installment',
      'installmental',
      'small small',
      'credit',
      'pay later',
      'balance later',
    ],
    why: 'paying in parts ("small small" in Pidgin)',
  },
  {
    means: 'picture',
    words: ['picture', 'photo', 'image', 'catalogue', 'catalog', 'video'],
    why: 'seeing the goods before buying',
  },
  {
    means: 'return',
    words: ['return', 'refund', 'exchange', 'money back'],
    why: 'taking goods back',
  },
  {
    means: 'wholesale',
    words: ['wholesale', 'bulk', 'resell', 'reseller', 'retailer'],
    why: 'buying many to sell on',
  },
  {
    means: 'accessory',
    words: [
      'accessory',
      'accessories',
      'charger',
      'earpiece',
      'earphone',
      'headphone',
      'airpod',
      'earbud',
      'pouch',
      'screen guard',
      'screen protector',
      'phone case',
    ],
    why: 'phone accessories',
  },
  {
    means: 'prescription',
    words: ['prescription', 'doctor note', 'doctor paper', 'doctor letter'],
    why: 'a doctor\'s note for a medicine ("doctor paper" in Nigerian English)',
  },
  {
    means: 'checkup',
    words: ['bp', 'blood pressure', 'blood sugar', 'sugar level', 'hypertension'],
    why: 'health checks a pharmacy does',
  },
  {
    means: 'sew',
    words: ['sew', 'tailor', 'measurement', 'custom made', 'own style', 'made to measure'],
    why: 'clothes made to measure',
  },
  {
    means: 'alter',
    words: ['alter', 'alteration', 'adjust', 'amend', 'resize', 'take in'],
    why: 'making a bought garment fit',
  },
  { means: 'warranty', words: ['warranty', 'guarantee'], why: 'cover after buying' },
  {
    means: 'restock',
    words: ['restock', 'new arrival', 'new stock', 'new collection', 'new goods', 'new design'],
    why: 'when new goods come in',
  },
  { means: 'insurance', words: ['hmo', 'insurance'], why: 'an HMO is a Nigerian health insurer' },
  {
    means: 'malaria',
    words: ['malaria', 'coartem', 'lonart', 'amatem', 'artemether', 'camosunate', 'antimalarial'],
    why: 'common Nigerian brands of malaria medicine',
  },
  {
    means: 'paracetamol',
    words: ['paracetamol', 'panadol', 'emzor', 'acetaminophen'],
    why: 'brands of paracetamol',
  },
  {
    means: 'swap',
    words: ['swap', 'trade in', 'tradein', 'upgrade'],
    why: 'trading an old item for a new one',
  },
  {
    means: 'swallow',
    words: ['swallow', 'amala', 'eba', 'semo', 'semovita', 'fufu', 'pounded yam', 'iyan', 'wheat'],
    why: 'Nigerian "swallow" foods',
  },
  {
    means: 'soup',
    words: ['soup', 'egusi', 'ewedu', 'okro', 'okra', 'ogbono', 'efo', 'banga', 'gbegiri', 'bitterleaf'],
    why: 'Nigerian soups',
  },
  {
    means: 'catering',
    words: ['catering', 'cater', 'small chops', 'party', 'event', 'occasion', 'ceremony'],
    why: 'cooking for events',
  },
  {
    means: 'vegetarian',
    words: ['vegetarian', 'vegan', 'without meat', 'no meat', 'not eat meat'],
    why: 'food without meat',
  },
  {
    means: 'pack',
    words: ['pack', 'takeaway', 'take away', 'container', 'bowl'],
    why: 'the container take-away food comes in',
  },
  { means: 'samsung', words: ['samsung', 'galaxy'], why: "Samsung's phones are Galaxy phones" },
  { means: 'sizes', words: ['size', 'plus size', 'big size', 'xl', 'xxl'], why: 'clothing sizes' },
];

/** A group compiled for look-up: its words as stem sequences. */
export interface CompiledSynonyms {
  /** First stem -> the phrases starting with it, longest first. */
  byFirst: Map<string, { stems: string[]; from: string; group: SynonymGroup }[]>;
}

export function compileSynonyms(groups: readonly SynonymGroup[]): CompiledSynonyms {
  const byFirst: CompiledSynonyms['byFirst'] = new Map();
  for (const group of groups) {
    for (const from of group.words) {
      const stems = from
        .split(' ')
        .filter((w) => w !== '')
        .map(stem);
      if (stems.length === 0) continue;
      const list = byFirst.get(stems[0]!) ?? [];
      list.push({ stems, from, group });
      byFirst.set(stems[0]!, list);
    }
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.stems.length - a.stems.length);
  return { byFirst };
}

/**
 * An owner's groups ("in my shop these mean the same"): each list of words and phrases becomes a group
 * whose meaning word is its first entry.
 */
export function ownerGroups(lists: readonly (readonly string[])[]): SynonymGroup[] {
  return lists
    .map((list) => list.map((w) => w.trim().toLowerCase()).filter((w) => w !== ''))
    .filter((words) => words.length >= 2)
    .map((words) => ({
      means: words[0]!.split(' ')[0]!,
      words,
      why: 'the same in this shop (your synonyms)',
    }));
}

export interface SynonymHit {
  /** The words of the text that matched. */
  from: string;
  means: string;
  why: string;
}

/**
 * The meaning words a text's tokens carry, found by stem, longest phrase first. A hit whose meaning word
 * the text already has ("delivery" in "do you do delivery") adds nothing and is not reported.
 */
export function findSynonyms(tokens: readonly string[], compiled: readonly CompiledSynonyms[]): SynonymHit[] {
  const stems = tokens.map(stem);
  const present = new Set(stems);
  const hits: SynonymHit[] = [];
  const added = new Set<string>();
  for (const table of compiled) {
    let i = 0;
    while (i < stems.length) {
      const phrase = table.byFirst.get(stems[i]!)?.find((p) => p.stems.every((s, k) => stems[i + k] === s));
      if (phrase === undefined) {
        i++;
        continue;
      }
      const meaning = stem(phrase.group.means);
      if (!present.has(meaning) && !added.has(meaning)) {
        added.add(meaning);
        hits.push({
          from: tokens.slice(i, i + phrase.stems.length).join(' '),
          means: phrase.group.means,
          why: phrase.group.why,
        });
      }
      i += phrase.stems.length;
    }
  }
  return hits;
}
