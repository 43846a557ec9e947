import type { ThreadMedia } from '../../shared/media-contract';
import type { MessageMediaRow } from '../store/repositories/message-media';

/** What the thread shows of a message's media row. */
export function toThreadMedia(row: MessageMediaRow): ThreadMedia {
  const extra = parseExtra(row.extra);
  return {
    kind: row.kind,
    mime: row.mime,
    size: row.size,
    fileName: row.fileName,
    caption: row.caption,
    durationSeconds: row.durationSeconds,
    thumbnail: row.thumbnail === null ? null : `data:image/jpeg;base64,${row.thumbnail.toString('base64')}`,
    state: row.state,
    error: row.error,
    location:
      row.kind === 'location' && typeof extra.latitude === 'number' && typeof extra.longitude === 'number'
        ? {
            latitude: extra.latitude,
            longitude: extra.longitude,
            name: typeof extra.name === 'string' ? extra.name : null,
            address: typeof extra.address === 'string' ? extra.address : null,
          }
        : null,
    contact:
      row.kind === 'contact'
        ? {
            name: typeof extra.name === 'string' ? extra.name : 'Contact',
            phone: typeof extra.phone === 'string' ? extra.phone : null,
          }
        : null,
  };
}

function parseExtra(json: string | null): Record<string, unknown> {
  if (json === null) return {};
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
