import { createHash } from 'node:crypto';

/** The dashboard's whole stylesheet, inline: no external assets, and the CSP allows exactly this. */
export const STYLESHEET = `
:root {
  --bg: #f5f6f8; --card: #fff; --text: #1d2433; --muted: #667085; --line: #e4e7ec; --accent: #1f5fd6;
  --ok: #067647; --ok-bg: #dcfae6; --warn: #93370d; --warn-bg: #fef0c7; --bad: #b42318; --bad-bg: #fee4e2;
  --idle: #475467; --idle-bg: #f2f4f7; --in: #1f5fd6; --out: #8fb3f2;
}
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: var(--bg); color: var(--text); }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
.top { background: #101828; color: #fff; display: flex; align-items: center; gap: 20px; padding: 10px 28px; }
.top .brand { font-weight: 650; font-size: 16px; letter-spacing: .01em; }
.top .brand span { color: #98a2b3; font-weight: 400; }
.top nav { display: flex; gap: 18px; }
.top nav a { color: #d0d5dd; }
.top form { margin-left: auto; }
main { max-width: 1200px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 15px; margin: 0 0 12px; }
.sub { color: var(--muted); margin: 0 0 20px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 20px; margin-bottom: 20px; }
.card-head { display: flex; align-items: baseline; gap: 12px; margin-bottom: 12px; }
.card-head h2 { margin: 0; }
.card-head .note { color: var(--muted); font-size: 12px; }
.stats { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 14px; margin-bottom: 20px; }
.stat { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 14px 18px; }
.stat .value { font-size: 26px; font-weight: 650; }
.stat .label { color: var(--muted); font-size: 13px; }
.grid2 { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 20px; }
table { width: 100%; border-collapse: collapse; }
th { text-align: left; font-weight: 600; color: var(--muted); font-size: 11px; text-transform: uppercase; letter-spacing: .04em; border-bottom: 1px solid var(--line); padding: 6px 10px; white-space: nowrap; }
td { padding: 9px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
tr:last-child td { border-bottom: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 500; white-space: nowrap; }
.badges { display: flex; flex-wrap: wrap; gap: 4px; }
.ok { color: var(--ok); background: var(--ok-bg); }
.warn { color: var(--warn); background: var(--warn-bg); }
.bad { color: var(--bad); background: var(--bad-bg); }
.idle { color: var(--idle); background: var(--idle-bg); }
.muted { color: var(--muted); }
.small { font-size: 12px; }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.empty { color: var(--muted); padding: 12px 0; }
button { background: var(--accent); color: #fff; border: 0; border-radius: 6px; padding: 7px 14px; font: inherit; cursor: pointer; }
button.quiet { background: transparent; border: 1px solid #475467; color: #e4e7ec; padding: 4px 12px; }
input, select { font: inherit; padding: 6px 9px; border: 1px solid #d0d5dd; border-radius: 6px; background: #fff; color: var(--text); }
label { display: block; font-weight: 500; margin-bottom: 4px; }
.row { display: flex; gap: 12px; align-items: end; flex-wrap: wrap; }
form.row { margin-bottom: 14px; }
.row > a { padding-bottom: 8px; }
.row .field { display: flex; flex-direction: column; }
.row .field.wide input { min-width: 260px; }
.login { max-width: 400px; margin: 12vh auto; }
.login input { width: 100%; margin-bottom: 12px; }
.notice { padding: 8px 12px; border-radius: 6px; margin-bottom: 12px; }
.code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 30px; letter-spacing: .08em; padding: 16px; background: var(--idle-bg); border-radius: 8px; text-align: center; margin: 12px 0; user-select: all; }
details summary { cursor: pointer; color: var(--muted); font-size: 12px; }
pre { white-space: pre-wrap; word-break: break-word; margin: 6px 0 0; font-size: 12px; background: var(--idle-bg); padding: 8px 10px; border-radius: 6px; max-height: 260px; overflow: auto; }
.chart text { font-size: 10px; fill: var(--muted); }
.chart .in { fill: var(--in); }
.chart .out { fill: var(--out); }
.chart .axis { stroke: var(--line); }
.legend { display: flex; gap: 14px; font-size: 12px; color: var(--muted); margin-top: 4px; }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
.legend .in { background: var(--in); }
.legend .out { background: var(--out); }
.pager { display: flex; gap: 16px; justify-content: flex-end; margin-top: 12px; }
.ev-message { max-width: 520px; word-break: break-word; }
.card.narrow { max-width: 760px; }
h1 .mono { font-size: inherit; }
.form-grid { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 14px 18px; align-items: start; }
.form-grid .field input, .form-grid .field select { width: 100%; }
.form-grid > div:last-child { grid-column: 1 / -1; }
.field-error { color: var(--bad); font-size: 12px; margin-top: 4px; }
[aria-invalid="true"] { border-color: var(--bad); background: #fffbfa; }
button.danger { background: var(--bad); }
.scroll { overflow-x: auto; }
`;

/** For the Content-Security-Policy: the one inline style block the pages may have. */
export const STYLESHEET_HASH = `sha256-${createHash('sha256').update(STYLESHEET).digest('base64')}`;

export const DASHBOARD_CSP = [
  "default-src 'none'",
  `style-src '${STYLESHEET_HASH}'`,
  "img-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');
