/**
 * Case and accents folded, as the search index's tokenizer (unicode61 remove_diacritics 2) folds them:
 * "Adébáyọ̀" -> "adebayo". One rule for the core's search and the screens' filters.
 */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
