import type { ReactNode } from 'react';

/** One fact of a `<dl>` of facts: its name, and its value marked `data-fact` for tests and styles. */
export function Fact(props: { label: string; name: string; children: ReactNode }) {
  return (
    <div>
      <dt>{props.label}</dt>
      <dd data-fact={props.name}>{props.children}</dd>
    </div>
  );
}
