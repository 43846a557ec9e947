import { ChoiceButtons } from '../../components/ChoiceButton';
import { LEVEL_OPTIONS, TIME_OPTIONS, TYPE_OPTIONS, type Filters } from './log-filters';

const SCOPES: readonly { value: Filters['scope']; label: string }[] = [
  { value: 'workspace', label: 'This business' },
  { value: 'system', label: 'System' },
];

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
        <ChoiceButtons
          role="radio"
          className="segmented__item"
          options={SCOPES}
          current={filters.scope}
          onChoose={(scope) => onFilter('scope', scope)}
        />
      </div>
      <FilterSelect
        name="level"
        label="Level"
        options={LEVEL_OPTIONS}
        filters={filters}
        onFilter={onFilter}
      />
      <FilterSelect name="type" label="Kind" options={TYPE_OPTIONS} filters={filters} onFilter={onFilter} />
      <FilterSelect name="time" label="Time" options={TIME_OPTIONS} filters={filters} onFilter={onFilter} />
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

/** One filter drop-down over `filters[name]`; the value stays typed as one of its options. */
function FilterSelect<K extends 'level' | 'type' | 'time'>(props: {
  name: K;
  label: string;
  options: readonly { value: Filters[K]; label: string }[];
  filters: Filters;
  onFilter: (key: K, value: Filters[K]) => void;
}) {
  const { name } = props;
  return (
    <select
      className="input input--compact"
      aria-label={props.label}
      value={props.filters[name]}
      onChange={(e) => props.onFilter(name, e.target.value as Filters[K])}
    >
      {props.options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}
