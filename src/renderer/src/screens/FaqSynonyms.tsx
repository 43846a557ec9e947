import { useState, type FormEvent } from 'react';
import { InlineError } from '../components/InlineError';
import { SearchBox } from '../components/SearchBox';
import { useApp, useWorkspace } from '../state/app-context';
import { useAction } from '../state/use-action';

/** Words of a group typed as "suya, grilled meat": trimmed, lower-case, no empties or repeats. */
export function wordsOf(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((w) => w.trim().toLocaleLowerCase().replace(/\s+/g, ' '))
        .filter((w) => w !== ''),
    ),
  ];
}

/**
 * "In my shop these mean the same": the owner's own synonym groups (workspace setting `faq.synonyms`),
 * read by the bot on top of the common ones it knows. Saved at once; the bot uses them from the next
 * message.
 */
export function ShopWords() {
  const { client } = useApp();
  const workspace = useWorkspace();
  const groups = workspace.settings.faq.synonyms;
  const [text, setText] = useState('');
  const { busy, error, setError, run } = useAction();

  const save = (next: string[][]) =>
    client.invoke('workspace.updateSettings', {
      workspaceId: workspace.id,
      settings: { faq: { synonyms: next } },
    });

  const add = (event: FormEvent) => {
    event.preventDefault();
    const words = wordsOf(text);
    if (words.length < 2) {
      setError('Write at least two words or phrases that mean the same, separated by commas.');
      return;
    }
    void run(async () => {
      await save([...groups, words]);
      setText('');
    });
  };

  return (
    <section className="card shop-words" aria-label="Words that mean the same">
      <h2 className="shop-words__title">Words that mean the same in your shop</h2>
      <p className="muted">
        Customers don&rsquo;t always use your words. The bot already knows common ones (shop, store and
        address; fix and repair; cash, transfer and POS; bring and send; original and fake; pepper and spicy).
        Add your own, such as <em>suya, grilled meat</em>.
      </p>
      {groups.length > 0 && (
        <ul className="shop-words__list" aria-label="Your groups of words">
          {groups.map((group, i) => (
            <li key={group.join('|')} className="shop-words__group">
              <span>
                {group.map((w) => (
                  <span key={w} className="chip chip--word">
                    {w}
                  </span>
                ))}
              </span>
              <button
                className="button button--ghost button--small"
                type="button"
                disabled={busy}
                aria-label={`Remove ${group.join(', ')}`}
                onClick={() => void run(() => save(groups.filter((_, j) => j !== i)))}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="shop-words__form" onSubmit={add}>
        <SearchBox
          icon="plus"
          className="shop-words__input"
          placeholder="e.g. suya, grilled meat, kilishi"
          aria-label="Words that mean the same, separated by commas"
          value={text}
          maxLength={500}
          onChange={(e) => setText(e.target.value)}
        />
        <button className="button button--secondary" type="submit" disabled={busy || text.trim() === ''}>
          Add
        </button>
      </form>
      <InlineError error={error} />
    </section>
  );
}
