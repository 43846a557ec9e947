import type { NumberStatus } from '../../../shared/types';
import { STATUS_VIEW } from '../format';

export function StatusBadge({ status }: { status: NumberStatus }) {
  const view = STATUS_VIEW[status];
  return (
    <span className={`badge badge--${view.tone}`} data-status={status}>
      <span className="badge__dot" aria-hidden="true" />
      {view.label}
    </span>
  );
}
