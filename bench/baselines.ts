/**
 * The baseline the matcher's figures are measured against in the same run: MiniSearch (BM25; a dev
 * dependency used only in bench/) with one document per FAQ (its question and phrasings as one text)
 * and its default options, which is how a shop would most simply search its FAQs. It answers whenever
 * it finds anything: it has no notion of "not sure".
 */
import MiniSearch from 'minisearch';

export interface BaselineFaq {
  id: string;
  texts: readonly string[];
}

export interface SearchBaseline {
  /** The best FAQ and its BM25 score, or undefined when no FAQ shares a word with the text. */
  best(text: string): { id: string; score: number } | undefined;
}

export function miniSearchBaseline(faqs: Iterable<BaselineFaq>): SearchBaseline {
  const index = new MiniSearch<{ id: string; text: string }>({ fields: ['text'] });
  const docs: { id: string; text: string }[] = [];
  for (const faq of faqs) docs.push({ id: faq.id, text: faq.texts.join('\n') });
  index.addAll(docs);
  return {
    best(text) {
      const [top] = index.search(text);
      return top === undefined ? undefined : { id: String(top.id), score: top.score };
    },
  };
}
