import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type { CommandInput, LogEvent } from '../../../../shared/contract';
import { errorMessage } from '../../client/client';
import { useApp, useEvent, useOnReconnect } from '../../state/app-context';
import { useVirtualRows } from '../../state/use-virtual-rows';
import type { ExportFilter } from '../LogExport';

/** Rows per request as the list scrolls (the command allows up to 500). */
export const PAGE_SIZE = 200;
/** Every row is one line this tall (logs.css): the virtual window depends on it. */
export const ROW_HEIGHT = 40;
/** Start loading the next page when this many loaded rows are left below the view. */
const PREFETCH_ROWS = 60;

type Query = (extra: Partial<CommandInput<'log.query'>>) => CommandInput<'log.query'>;

/**
 * The log entries that match `filter`, newest first: the first page on each new filter, older pages as
 * the list is scrolled near its end, newer entries on top as they are written (while `live`). Only the
 * rows in view are drawn (`view`).
 */
export function useLogEvents(
  filter: ExportFilter,
  scroller: RefObject<HTMLDivElement | null>,
  live: boolean,
) {
  const query = useCallback<Query>((extra) => ({ ...filter, limit: PAGE_SIZE, ...extra }), [filter]);
  const pages = useFirstPage(query, scroller);
  const view = useVirtualRows(scroller, pages.events?.length ?? 0, ROW_HEIGHT);
  const loadingMore = useOlderPages(pages, query, view.scrollTop + view.viewHeight);
  useLiveTail(pages, query, scroller, live, filter.workspaceId);
  return { ...pages, view, loadingMore };
}

type Pages = ReturnType<typeof useFirstPage>;

/** The first page, read again whenever the query changes or the connection comes back. */
function useFirstPage(query: Query, scroller: RefObject<HTMLDivElement | null>) {
  const { client } = useApp();
  const [events, setEvents] = useState<LogEvent[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** Bumped on every new query: an answer to an older one is dropped. */
  const generation = useRef(0);
  /** The entries the live tail just put on top (highlighted); none after a new first page. */
  const [fresh, setFresh] = useState<ReadonlySet<number>>(new Set());

  const load = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const page = await client.invoke('log.query', query({}));
      if (mine !== generation.current) return;
      setEvents(page.events);
      setNext(page.nextBeforeSeq);
      setFresh(new Set());
      setError(null);
      scroller.current?.scrollTo({ top: 0 });
    } catch (failure) {
      if (mine === generation.current) setError(errorMessage(failure));
    }
  }, [client, query, scroller]);

  useEffect(() => {
    setEvents(null);
    void load();
  }, [load]);
  useOnReconnect(() => void load());
  return { events, setEvents, next, setNext, error, setError, generation, load, fresh, setFresh };
}

/** Older entries: the next page once the view comes near the end of what is loaded. */
function useOlderPages(pages: Pages, query: Query, viewBottom: number): boolean {
  const { client } = useApp();
  const { events, next, generation, setEvents, setNext, setError } = pages;
  const [loadingMore, setLoadingMore] = useState(false);
  const nearEnd = viewBottom >= ((events?.length ?? 0) - PREFETCH_ROWS) * ROW_HEIGHT;
  useEffect(() => {
    if (!nearEnd || next === null || loadingMore || events === null) return;
    const mine = generation.current;
    setLoadingMore(true);
    client
      .invoke('log.query', query({ beforeSeq: next }))
      .then((page) => {
        if (mine !== generation.current) return;
        setEvents((current) => (current === null ? current : [...current, ...page.events]));
        setNext(page.nextBeforeSeq);
      })
      .catch((failure: unknown) => {
        if (mine === generation.current) setError(errorMessage(failure));
      })
      .finally(() => setLoadingMore(false));
  }, [nearEnd, next, loadingMore, events, client, query, generation, setEvents, setNext, setError]);
  return loadingMore;
}

/**
 * Live tail: newer entries go on top, highlighted. One query at a time; an append during one asks for
 * another.
 */
function useLiveTail(
  pages: Pages,
  query: Query,
  scroller: RefObject<HTMLDivElement | null>,
  live: boolean,
  scopeId: string | null,
): void {
  const { client } = useApp();
  const { events, setEvents, setFresh, generation, load } = pages;
  /** Rows added above the view by the live tail: the view moves down by as much, so it stays put. */
  const shiftBy = useRef(0);
  const tail = useRef({ running: false, again: false });
  // The highest seq near the top (entries written in one burst may share a millisecond).
  const newest = useMemo(
    () => Math.max(0, ...(events ?? []).slice(0, PAGE_SIZE).map((e) => e.seq)),
    [events],
  );
  const runTail = useCallback(async () => {
    if (tail.current.running) {
      tail.current.again = true;
      return;
    }
    tail.current.running = true;
    const mine = generation.current;
    try {
      const page = await client.invoke('log.query', query({ afterSeq: newest }));
      if (mine !== generation.current || page.events.length === 0) return;
      if (page.events.length === PAGE_SIZE) {
        // More arrived than one page holds: start over from the newest rather than leave a gap.
        void load();
        return;
      }
      if ((scroller.current?.scrollTop ?? 0) > 0) shiftBy.current += page.events.length * ROW_HEIGHT;
      setEvents((current) => (current === null ? current : [...page.events, ...current]));
      setFresh(new Set(page.events.map((e) => e.seq)));
    } catch {
      // The next append tries again.
    } finally {
      tail.current.running = false;
      if (tail.current.again) {
        tail.current.again = false;
        void runTailRef.current();
      }
    }
  }, [client, query, newest, load, generation, scroller, setEvents, setFresh]);
  const runTailRef = useRef(runTail);
  useEffect(() => {
    runTailRef.current = runTail;
  });
  useLayoutEffect(() => {
    if (shiftBy.current === 0 || scroller.current === null) return;
    scroller.current.scrollTop += shiftBy.current;
    shiftBy.current = 0;
  }, [events, scroller]);
  useEvent('log.appended', (event) => {
    if (!live || events === null || !event.workspaceIds.includes(scopeId)) return;
    void runTail();
  });
}
