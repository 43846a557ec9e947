import type { ReactNode } from 'react';

/**
 * One button of a row where exactly one is chosen: a tab of a tab list (`tabs__tab`) or an item of a
 * segmented control (`segmented__item`), marked for assistive technology the way its role asks.
 */
export function ChoiceButton(props: {
  role: 'tab' | 'radio';
  className: 'tabs__tab' | 'segmented__item';
  on: boolean;
  onChoose: () => void;
  children: ReactNode;
}) {
  const { className, on } = props;
  return (
    <button
      type="button"
      role={props.role}
      {...(props.role === 'tab' ? { 'aria-selected': on } : { 'aria-checked': on })}
      className={`${className}${on ? ` ${className}--active` : ''}`}
      onClick={props.onChoose}
    >
      {props.children}
    </button>
  );
}

/** A row's buttons, one per option, the current one marked; choosing one hands its value back. */
export function ChoiceButtons<V extends string>(props: {
  role: 'tab' | 'radio';
  className: 'tabs__tab' | 'segmented__item';
  options: readonly { value: V; label: string }[];
  current: V;
  onChoose: (value: V) => void;
}) {
  return props.options.map((option) => (
    <ChoiceButton
      key={option.value}
      role={props.role}
      className={props.className}
      on={props.current === option.value}
      onChoose={() => props.onChoose(option.value)}
    >
      {option.label}
    </ChoiceButton>
  ));
}
