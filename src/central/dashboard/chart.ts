import type { DayMessages } from '../admin-types';
import { formatCount } from './format';
import { html, type Html } from './html';

export interface ChartSize {
  width: number;
  height: number;
  /** Day numbers under the bars and the scale on the left: the workspace page's chart. */
  labels: boolean;
}

/** Messages per day as stacked bars (in below, out above), inline SVG: no script, no external asset. */
export function messagesChart(days: readonly DayMessages[], size: ChartSize): Html {
  const left = size.labels ? 34 : 0;
  const bottom = size.labels ? 16 : 0;
  const top = size.labels ? 8 : 1;
  const plotWidth = size.width - left;
  const plotHeight = size.height - bottom - top;
  const max = Math.max(1, ...days.map((d) => d.in + d.out));
  const slot = plotWidth / Math.max(1, days.length);
  const barWidth = Math.max(2, slot * (size.labels ? 0.62 : 0.7));
  const scale = (n: number): number => (n / max) * plotHeight;
  const total = days.reduce((sum, d) => sum + d.in + d.out, 0);

  const bars = days.map((d, i) => {
    const x = left + i * slot + (slot - barWidth) / 2;
    const inHeight = scale(d.in);
    const outHeight = scale(d.out);
    const baseY = top + plotHeight;
    return html`<g>
      <title>${d.day}: ${formatCount(d.in)} in, ${formatCount(d.out)} out</title>
      <rect
        class="in"
        x="${x.toFixed(1)}"
        y="${(baseY - inHeight).toFixed(1)}"
        width="${barWidth.toFixed(1)}"
        height="${inHeight.toFixed(1)}"
        rx="1"
      ></rect>
      <rect
        class="out"
        x="${x.toFixed(1)}"
        y="${(baseY - inHeight - outHeight).toFixed(1)}"
        width="${barWidth.toFixed(1)}"
        height="${outHeight.toFixed(1)}"
        rx="1"
      ></rect>
      ${size.labels ? html`<text x="${(x + barWidth / 2).toFixed(1)}" y="${size.height - 3}" text-anchor="middle">${d.day.slice(8)}</text>` : ''}
    </g>`;
  });
  const axis = size.labels
    ? html`<line
          class="axis"
          x1="${left}"
          x2="${size.width}"
          y1="${top + plotHeight + 0.5}"
          y2="${top + plotHeight + 0.5}"
        ></line>
        <text x="${left - 6}" y="${top + 8}" text-anchor="end">${formatCount(max)}</text>
        <text x="${left - 6}" y="${top + plotHeight}" text-anchor="end">0</text>`
    : html`<line
        class="axis"
        x1="0"
        x2="${size.width}"
        y1="${size.height - 0.5}"
        y2="${size.height - 0.5}"
      ></line>`;
  return html`<svg
    class="chart"
    width="${size.width}"
    height="${size.height}"
    viewBox="0 0 ${size.width} ${size.height}"
    role="img"
    aria-label="Messages per day over ${days.length} days: ${formatCount(total)} in all"
  >
    ${axis}${bars}
  </svg>`;
}
