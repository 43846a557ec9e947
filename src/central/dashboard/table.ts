import { html, type Html } from './html';

/** A column's heading: its label, or its label and a class. */
export type Column = string | { label: string; class: string };

/** The heading of a right-aligned column of figures. */
export const numeric = (label: string): Column => ({ label, class: 'num' });

/** A table's head: one row of column headings. */
export function tableHead(columns: readonly Column[]): Html {
  return html`<thead>
    <tr>
      ${columns.map((c) => (typeof c === 'string' ? html`<th>${c}</th>` : html`<th class="${c.class}">${c.label}</th>`))}
    </tr>
  </thead>`;
}
