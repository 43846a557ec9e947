import type { LogLevel } from '../../../../shared/types';
import type { ExportFilter } from '../LogExport';

export const TYPE_OPTIONS = [
  { value: '', label: 'All kinds' },
  { value: 'connection.', label: 'Connection' },
  { value: 'message.', label: 'Messages' },
  { value: 'number.', label: 'Numbers' },
  { value: 'faq.', label: 'FAQs' },
  { value: 'workspace.', label: 'Business settings' },
  { value: 'store.', label: 'Database' },
  { value: 'sync.', label: 'Central sync' },
  { value: 'error', label: 'Errors' },
] as const;

export const TIME_OPTIONS = [
  { value: 'hour', label: 'Last hour', ms: 60 * 60 * 1000 },
  { value: 'day', label: 'Last 24 hours', ms: 24 * 60 * 60 * 1000 },
  { value: 'week', label: 'Last 7 days', ms: 7 * 24 * 60 * 60 * 1000 },
  { value: 'all', label: 'All time', ms: null },
] as const;

export const LEVEL_OPTIONS: { value: LogLevel | 'all'; label: string }[] = [
  { value: 'info', label: 'Everything but technical notes' },
  { value: 'all', label: 'Everything, technical notes too' },
  { value: 'warn', label: 'Warnings and problems' },
  { value: 'error', label: 'Problems only' },
];

export interface Filters {
  scope: 'workspace' | 'system';
  level: LogLevel | 'all';
  type: string;
  time: (typeof TIME_OPTIONS)[number]['value'];
  search: string;
}

export const INITIAL_FILTERS: Filters = {
  scope: 'workspace',
  level: 'info',
  type: '',
  time: 'day',
  search: '',
};

/** The query the filters make; the time window starts now (so call it when the filters change). */
export function exportFilterOf(filters: Filters, scopeId: string | null): ExportFilter {
  const time = TIME_OPTIONS.find((t) => t.value === filters.time);
  return {
    workspaceId: scopeId,
    ...(filters.level !== 'all' && { minLevel: filters.level }),
    ...(filters.type !== '' && { typePrefix: filters.type }),
    ...(time?.ms != null && { since: Date.now() - time.ms }),
    ...(filters.search.trim() !== '' && { search: filters.search.trim() }),
  };
}

/** The filters in one line, for the export: "Mama Nkechi Stores · Problems only · last 24 hours". */
export function filtersSummary(filters: Filters, workspaceName: string): string {
  return [
    filters.scope === 'workspace' ? workspaceName : 'System',
    LEVEL_OPTIONS.find((o) => o.value === filters.level)?.label,
    TYPE_OPTIONS.find((o) => o.value === filters.type)?.label,
    TIME_OPTIONS.find((o) => o.value === filters.time)?.label.toLowerCase(),
    filters.search.trim() !== '' ? `containing “${filters.search.trim()}”` : null,
  ]
    .filter((part) => part != null)
    .join(' · ');
}
