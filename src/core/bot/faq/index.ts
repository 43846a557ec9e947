export {
  createFaqMatcher,
  type FaqInput,
  type FaqMatch,
  type FaqMatcher,
  type FaqMatcherOptions,
  type MatchExplanation,
  type MatchOptions,
  type TriedMatch,
} from './faq-matcher';
export { normaliseText, normaliseToString, type NormalisedText, type Rewrite } from './match-tokens';
