import type { ReactNode } from 'react';
import { Icon, type IconName } from './Icon';

/** What a list shows while it has nothing in it: a big icon, a title, a line of help, maybe a button. */
export function EmptyState(props: { icon: IconName; title: string; children: ReactNode }) {
  return (
    <div className="empty card">
      <span className="empty__icon" aria-hidden="true">
        <Icon name={props.icon} size={28} />
      </span>
      <p className="empty__title">{props.title}</p>
      {props.children}
    </div>
  );
}
