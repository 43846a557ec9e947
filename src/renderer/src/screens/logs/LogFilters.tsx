import { ChoiceButton } from '../../components/ChoiceButton';
import { LEVEL_OPTIONS, TIME_OPTIONS, TYPE_OPTIONS, type Filters } from './log-filters';

/** Whose events, level, kind, time and a search box; the search is the caller's until it settles. */
export function LogFilters(props: {
  filters: Filters;
  onFilter: <K extends keyof Filters>(key: K, value: Filters[K]) => void;
  search: string;
  onSearch: (search: string) => void;
}) {
  const { filters, onFilter } = props;
  return (
    <div className="filters" role="group" aria-label="Filters">
      <div className="segmented" role="radiogroup" aria-label="Whose events">
        <ScopeButton scope="workspace" label="This business" current={filters.scope} onFilter={onFilter} />
        <ScopeButton scope="system" label="System" current={filters.scope} onFilter={onFilter} />
      </div>
      <FilterSelect
        label="Level"
        value={filters.level}
        options={LEVEL_OPTIONS}
        onChange={(v) => onFilter('level', v)}
      />
      <FilterSelect
        label="Kind"
        value={filters.type}
        options={TYPE_OPTIONS}
        onChange={(v) => onFilter('type', v)}
      />
      <FilterSelect
        label="Time"
        value={filters.time}
        options={TIME_OPTIONS}
        onChange={(v) => onFilter('time', v)}
      />
      <input
        className="input input--compact filters__search"
        type="search"
        placeholder="Search: a name, a number or words"
        aria-label="Search the log"
        value={props.search}
        onChange={(e) => props.onSearch(e.target.value)}
      />
    </div>
  );
}

function ScopeButton(props: {
  scope: Filters['scope'];
  label: string;
  current: Filters['scope'];
  onFilter: (key: 'scope', value: Filters['scope']) => void;
}) {
  return (
    <ChoiceButton
      role="radio"
      className="segmented__item"
      on={props.current === props.scope}
      onChoose={() => props.onFilter('scope', props.scope)}
    >
      {props.label}
    </ChoiceButton>
  );
}

/** One filter drop-down; the value stays typed as one of its options. */
function FilterSelect<V extends string>(props: {
  label: string;
  value: V;
  options: readonly { value: V; label: string }[];
  onChange: (value: V) => void;
}) {
  return (
    <select
      className="input input--compact"
      aria-label={props.label}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value as V)}
    >
      {props.options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}
