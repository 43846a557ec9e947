import { useLayoutEffect, useState, type RefObject } from 'react';

export interface VirtualRows {
  /** First row to render (inclusive) and last (exclusive). */
  start: number;
  end: number;
  /** Height of the space standing in for the rows above and below the rendered ones. */
  padTop: number;
  padBottom: number;
  /** The scroll container's position and visible height, in pixels. */
  scrollTop: number;
  viewHeight: number;
}

/**
 * A window over a long list of fixed-height rows in a scroll container: only the rows in view (plus
 * `overscan` on each side) are rendered; spacers of the right height stand in for the rest, so the
 * scrollbar is true and the DOM stays a few dozen rows whatever the list's length. Scroll events are
 * folded into one update per animation frame.
 */
export function useVirtualRows(
  container: RefObject<HTMLElement | null>,
  count: number,
  rowHeight: number,
  overscan = 10,
): VirtualRows {
  const [view, setView] = useState({ scrollTop: 0, viewHeight: 800 });

  useLayoutEffect(() => {
    const element = container.current;
    if (element === null) return;
    let frame: number | null = null;
    const measure = () => {
      frame = null;
      setView((v) =>
        v.scrollTop === element.scrollTop && v.viewHeight === element.clientHeight
          ? v
          : { scrollTop: element.scrollTop, viewHeight: element.clientHeight },
      );
    };
    const onScroll = () => {
      frame ??= requestAnimationFrame(measure);
    };
    measure();
    element.addEventListener('scroll', onScroll, { passive: true });
    const observer = new ResizeObserver(onScroll);
    observer.observe(element);
    return () => {
      element.removeEventListener('scroll', onScroll);
      observer.disconnect();
      if (frame !== null) cancelAnimationFrame(frame);
    };
  }, [container]);

  const first = Math.floor(view.scrollTop / rowHeight);
  const visible = Math.ceil(view.viewHeight / rowHeight) + 1;
  const start = Math.min(count, Math.max(0, first - overscan));
  const end = Math.min(count, first + visible + overscan);
  return {
    start,
    end,
    padTop: start * rowHeight,
    padBottom: Math.max(0, count - end) * rowHeight,
    scrollTop: view.scrollTop,
    viewHeight: view.viewHeight,
  };
}
