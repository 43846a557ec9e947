import type { SnippetPart } from '../../shared/inbox-contract';
import { HIT_END, HIT_START } from '../store/repositories/message-search';

/** FTS5's snippet (hits between marker characters) as parts the screens highlight without HTML. */
export function snippetParts(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  for (const [i, piece] of snippet.split(HIT_START).entries()) {
    const [hit, rest] = i === 0 ? [null, piece] : splitOnce(piece, HIT_END);
    if (hit !== null && hit !== '') parts.push({ text: hit, hit: true });
    if (rest !== '') parts.push({ text: rest, hit: false });
  }
  return parts;
}

function splitOnce(text: string, marker: string): [string, string] {
  const at = text.indexOf(marker);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + marker.length)];
}
