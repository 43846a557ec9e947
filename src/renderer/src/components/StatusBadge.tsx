import type { NumberStatus } from '../../../shared/types';
import { STATUS_VIEW, type Tone } from '../format';

/**
 * A state in a word or two on a pill of its tone, with a dot. `data` names the state for tests and
 * styles (`{ 'data-status': 'connected' }`).
 */
export function Badge(props: {
  view: { label: string; tone: Tone };
  data: Record<`data-${string}`, string>;
}) {
  return (
    <span className={`badge badge--${props.view.tone}`} {...props.data}>
      <span className="badge__dot" aria-hidden="true" />
      {props.view.label}
    </span>
  );
}

export function StatusBadge({ status }: { status: NumberStatus }) {
  return <Badge view={STATUS_VIEW[status]} data={{ 'data-status': status }} />;
}
