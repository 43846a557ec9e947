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

/** Where everything goes, from the container's width and the largest figure. */
function chartLayout(series: BarSeries[], groups: BarGroup[], width: number, height: number) {
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
  return { width, height, step, top, plotWidth, plotHeight, slot, gap, bar, groupWidth, y, labelEvery };
}

type Layout = ReturnType<typeof chartLayout>;

/**
 * A grouped bar chart in plain SVG, sized to its container: one group per label, one bar per series,
 * round-number gridlines, and a tooltip with the group's figures on hover or keyboard focus. The
 * figures are also in a table for screen readers (and anyone who prefers numbers to bars).
 */
export function BarChart(props: { series: BarSeries[]; groups: BarGroup[]; height?: number; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const width = useElementWidth(box);
  const [active, setActive] = useState<number | null>(null);
  const { series, groups } = props;
  const layout = chartLayout(series, groups, width, props.height ?? 220);
  const activeGroup = active === null ? undefined : groups[active];

  return (
    <div className="bar-chart" ref={box}>
      {width > 0 && (
        <svg
          className="bar-chart__svg"
          width={width}
          height={layout.height}
          role="img"
          aria-label={props.label}
          onMouseLeave={() => setActive(null)}
        >
          <Gridlines layout={layout} />
          {groups.map((group, i) => (
            <Group
              key={group.key}
              layout={layout}
              series={series}
              group={group}
              index={i}
              last={groups.length - 1}
              active={active === i}
              onActive={setActive}
            />
          ))}
        </svg>
      )}
      {activeGroup !== undefined && active !== null && (
        <Tooltip layout={layout} series={series} group={activeGroup} index={active} />
      )}
      <ChartTable label={props.label} series={series} groups={groups} />
    </div>
  );
}

function Gridlines({ layout }: { layout: Layout }) {
  const { y, step, top, width } = layout;
  return Array.from({ length: top / step + 1 }, (_, i) => i * step).map((tick) => (
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
  ));
}

/** One label's bars, its highlight slot and its two-line label. */
function Group(props: {
  layout: Layout;
  series: BarSeries[];
  group: BarGroup;
  index: number;
  last: number;
  active: boolean;
  onActive: (index: number | null) => void;
}) {
  const { layout, series, group, index: i } = props;
  const { slot, plotHeight, groupWidth, bar, gap, top, y } = layout;
  const x0 = PAD.left + i * slot;
  const left = x0 + (slot - groupWidth) / 2;
  const current = group.current === true;
  const showLabel = current || (props.last - i) % layout.labelEvery === 0;
  return (
    <g
      className={`bar-chart__group${props.active ? ' bar-chart__group--active' : ''}`}
      data-date={group.key}
      onMouseEnter={() => props.onActive(i)}
      onFocus={() => props.onActive(i)}
      onBlur={() => props.onActive(null)}
      tabIndex={0}
      aria-label={`${group.title}: ${series.map((s, k) => `${s.label} ${group.values[k] ?? 0}`).join(', ')}`}
    >
      <rect
        className={`bar-chart__slot${current ? ' bar-chart__slot--current' : ''}`}
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
          className={`bar-chart__label${current ? ' bar-chart__label--current' : ''}`}
          x={x0 + slot / 2}
          y={layout.height - PAD.bottom + 18}
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
}

/** Beside the day, on the side with room, so it never covers the bars it describes. */
function Tooltip(props: { layout: Layout; series: BarSeries[]; group: BarGroup; index: number }) {
  const { slot, plotWidth } = props.layout;
  const active = props.index;
  const onLeft = (active + 0.5) * slot > plotWidth / 2;
  return (
    <div
      className={`bar-chart__tooltip${onLeft ? ' bar-chart__tooltip--left' : ''}`}
      role="status"
      style={{ left: onLeft ? PAD.left + active * slot - 6 : PAD.left + (active + 1) * slot + 6 }}
    >
      <strong>{props.group.title}</strong>
      {props.series.map((s, k) => (
        <span key={s.key} className="bar-chart__tooltip-row">
          <span className={`legend-swatch legend-swatch--${s.tone}`} aria-hidden="true" />
          {s.label}
          <b>{props.group.values[k] ?? 0}</b>
        </span>
      ))}
    </div>
  );
}

/** The figures as a table, for screen readers. */
function ChartTable({ label, series, groups }: { label: string; series: BarSeries[]; groups: BarGroup[] }) {
  return (
    // In a clipped box: a table's own box does not shrink to 1px, the page would widen.
    <div className="visually-hidden">
      <table>
        <caption>{label}</caption>
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
  );
}
