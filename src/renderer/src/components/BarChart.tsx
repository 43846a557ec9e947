import { useRef, useState } from 'react';
import { useElementWidth } from '../state/use-element-width';
import './bar-chart.css';

export interface BarSeries {
  key: string;
  label: string;
  /** A CSS class giving the bars their colour (`bar-chart__bar--<tone>`). */
  tone: string;
}

export interface BarGroup {
  key: string;
  /** Two short lines under the group, e.g. "Mon" and "18". */
  label: [string, string];
  /** The tooltip's heading, e.g. "Monday 18 May". */
  title: string;
  /** One value per series, in the series' order. */
  values: number[];
  /** Drawn with a soft background (today). */
  current?: boolean;
}

const PAD = { top: 14, right: 6, bottom: 42, left: 34 };
const TICKS = 4;

/** A step of 1, 2 or 5 times a power of ten giving at most TICKS steps up to `max`. */
function niceStep(max: number): number {
  if (max <= TICKS) return 1;
  const raw = max / TICKS;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

/**
 * A grouped bar chart in plain SVG, sized to its container: one group per label, one bar per series,
 * round-number gridlines, and a tooltip with the group's figures on hover or keyboard focus. The
 * figures are also in a table for screen readers (and anyone who prefers numbers to bars).
 */
export function BarChart(props: { series: BarSeries[]; groups: BarGroup[]; height?: number; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const width = useElementWidth(box);
  const [active, setActive] = useState<number | null>(null);
  const height = props.height ?? 220;
  const { series, groups } = props;

  const max = Math.max(1, ...groups.flatMap((g) => g.values));
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const plotWidth = Math.max(0, width - PAD.left - PAD.right);
  const plotHeight = height - PAD.top - PAD.bottom;
  const slot = groups.length === 0 ? 0 : plotWidth / groups.length;
  const gap = Math.max(1, Math.min(3, slot * 0.04));
  const bar = Math.max(2, Math.min(14, (slot * 0.72 - gap * (series.length - 1)) / series.length));
  const groupWidth = bar * series.length + gap * (series.length - 1);
  const y = (value: number) => PAD.top + plotHeight - (value / top) * plotHeight;
  // Every label when they fit, else every other one (always today's).
  const labelEvery = slot >= 34 ? 1 : 2;
  const activeGroup = active === null ? undefined : groups[active];

  return (
    <div className="bar-chart" ref={box}>
      {width > 0 && (
        <svg
          className="bar-chart__svg"
          width={width}
          height={height}
          role="img"
          aria-label={props.label}
          onMouseLeave={() => setActive(null)}
        >
          {Array.from({ length: top / step + 1 }, (_, i) => i * step).map((tick) => (
            <g key={tick}>
              <line
                className={`bar-chart__grid${tick === 0 ? ' bar-chart__grid--base' : ''}`}
                x1={PAD.left}
                x2={width - PAD.right}
                y1={y(tick)}
                y2={y(tick)}
              />
              <text className="bar-chart__tick" x={PAD.left - 8} y={y(tick)} dy="0.32em" textAnchor="end">
                {compact.format(tick)}
              </text>
            </g>
          ))}
          {groups.map((group, i) => {
            const x0 = PAD.left + i * slot;
            const left = x0 + (slot - groupWidth) / 2;
            const showLabel = group.current === true || (groups.length - 1 - i) % labelEvery === 0;
            return (
              <g
                key={group.key}
                className={`bar-chart__group${active === i ? ' bar-chart__group--active' : ''}`}
                data-date={group.key}
                onMouseEnter={() => setActive(i)}
                onFocus={() => setActive(i)}
                onBlur={() => setActive(null)}
                tabIndex={0}
                aria-label={`${group.title}: ${series.map((s, k) => `${s.label} ${group.values[k] ?? 0}`).join(', ')}`}
              >
                <rect
                  className={`bar-chart__slot${group.current === true ? ' bar-chart__slot--current' : ''}`}
                  x={x0 + 1}
                  y={PAD.top - 6}
                  width={Math.max(0, slot - 2)}
                  height={plotHeight + 6}
                  rx={6}
                />
                {series.map((s, k) => {
                  const value = group.values[k] ?? 0;
                  const h = (value / top) * plotHeight;
                  return value === 0 ? null : (
                    <rect
                      key={s.key}
                      className={`bar-chart__bar bar-chart__bar--${s.tone}`}
                      x={left + k * (bar + gap)}
                      y={y(value)}
                      width={bar}
                      height={Math.max(1.5, h)}
                      rx={Math.min(3, bar / 2)}
                    />
                  );
                })}
                {showLabel && (
                  <text
                    className={`bar-chart__label${group.current === true ? ' bar-chart__label--current' : ''}`}
                    x={x0 + slot / 2}
                    y={height - PAD.bottom + 18}
                    textAnchor="middle"
                  >
                    <tspan x={x0 + slot / 2}>{group.label[0]}</tspan>
                    <tspan x={x0 + slot / 2} dy="1.25em">
                      {group.label[1]}
                    </tspan>
                  </text>
                )}
              </g>
            );
          })}
        </svg>
      )}
      {activeGroup !== undefined && active !== null && (
        // Beside the day, on the side with room, so it never covers the bars it describes.
        <div
          className={`bar-chart__tooltip${(active + 0.5) * slot > plotWidth / 2 ? ' bar-chart__tooltip--left' : ''}`}
          role="status"
          style={{
            left:
              (active + 0.5) * slot > plotWidth / 2
                ? PAD.left + active * slot - 6
                : PAD.left + (active + 1) * slot + 6,
          }}
        >
          <strong>{activeGroup.title}</strong>
          {series.map((s, k) => (
            <span key={s.key} className="bar-chart__tooltip-row">
              <span className={`legend-swatch legend-swatch--${s.tone}`} aria-hidden="true" />
              {s.label}
              <b>{activeGroup.values[k] ?? 0}</b>
            </span>
          ))}
        </div>
      )}
      {/* In a clipped box: a table's own box does not shrink to 1px, the page would widen. */}
      <div className="visually-hidden">
        <table>
          <caption>{props.label}</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              {series.map((s) => (
                <th key={s.key} scope="col">
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <tr key={g.key} data-date={g.key}>
                <th scope="row">{g.title}</th>
                {series.map((s, k) => (
                  <td key={s.key} data-series={s.key}>
                    {g.values[k] ?? 0}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
