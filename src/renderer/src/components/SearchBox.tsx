import type { InputHTMLAttributes } from 'react';
import { Icon, type IconName } from './Icon';

/**
 * A rounded box with an icon before the text (searching, trying a message, adding words). The caller
 * gives the input's own attributes (placeholder, aria-label, value, onChange …).
 */
export function SearchBox(
  props: { icon: IconName; className?: string } & Omit<InputHTMLAttributes<HTMLInputElement>, 'className'>,
) {
  const { icon, className, ...input } = props;
  return (
    <label className={className === undefined ? 'search' : `search ${className}`}>
      <Icon name={icon} size={18} />
      <input className="search__input" {...input} />
    </label>
  );
}
