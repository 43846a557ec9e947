// A message's photo, voice note, audio, video, document, sticker, location or contact card in the
// thread. Files are fetched only when shown (photos, stickers) or asked for (play, open); a document
// is opened by the OS (desktop) or saved (browser) only when the owner clicks. A download that failed
// or was too large says so, with Retry.
import { useEffect, useState } from 'react';
import type { MediaFile, ThreadMedia } from '../../../shared/media-contract';
import { errorMessage } from '../client/client';
import { useApp } from '../state/app-context';
import './message-media.css';

interface Props {
  workspaceId: string;
  messageId: string;
  media: ThreadMedia;
  /** Sent by the shop (the owner or the bot), not by the customer. */
  fromShop?: boolean;
}

/** What each kind is called in the thread and in the chat list's preview. */
export const KIND_WORD: Record<ThreadMedia['kind'], string> = {
  image: 'Photo',
  video: 'Video',
  voice: 'Voice note',
  audio: 'Audio',
  document: 'Document',
  sticker: 'Sticker',
  location: 'Location',
  contact: 'Contact card',
};

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function formatDuration(seconds: number | null): string {
  if (seconds === null) return '';
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

function toBlobUrl(file: MediaFile): string {
  const bytes = Uint8Array.from(atob(file.data), (c) => c.charCodeAt(0));
  return URL.createObjectURL(new Blob([bytes], { type: file.mime }));
}

/** The file of a message as an object URL, fetched when `wanted`; revoked when the bubble goes. */
function useFileUrl(workspaceId: string, messageId: string, wanted: boolean) {
  const { client } = useApp();
  const [state, setState] = useState<{ url: string; file: MediaFile } | { error: string } | null>(null);
  useEffect(() => {
    if (!wanted) return;
    let url: string | null = null;
    let live = true;
    client
      .invoke('media.read', { workspaceId, messageId })
      .then((file) => {
        url = toBlobUrl(file);
        if (live) setState({ url, file });
        else URL.revokeObjectURL(url);
      })
      .catch((failure: unknown) => live && setState({ error: errorMessage(failure) }));
    return () => {
      live = false;
      if (url !== null) URL.revokeObjectURL(url);
    };
  }, [client, workspaceId, messageId, wanted]);
  return state;
}

export function MessageMedia({ workspaceId, messageId, media, fromShop = false }: Props) {
  const word = KIND_WORD[media.kind];
  if (media.kind === 'location' && media.location !== null) {
    const { latitude, longitude, name, address } = media.location;
    const map = `https://www.openstreetmap.org/?mlat=${latitude}&mlon=${longitude}#map=17/${latitude}/${longitude}`;
    return (
      <div className="media media--location">
        <span className="media__title">Location: {name ?? 'shared place'}</span>
        {address !== null && <span className="media__meta">{address}</span>}
        <a className="media__link" href={map} target="_blank" rel="noreferrer noopener">
          Open in map ({latitude.toFixed(4)}, {longitude.toFixed(4)})
        </a>
      </div>
    );
  }
  if (media.kind === 'contact' && media.contact !== null) {
    return (
      <div className="media media--contact">
        <span className="media__title">Contact card: {media.contact.name}</span>
        <span className="media__meta">{media.contact.phone ?? 'No number on the card'}</span>
      </div>
    );
  }
  if (media.state !== 'stored')
    return <MediaProblem workspaceId={workspaceId} messageId={messageId} media={media} />;
  switch (media.kind) {
    case 'image':
    case 'sticker':
      return <Picture workspaceId={workspaceId} messageId={messageId} media={media} fromShop={fromShop} />;
    case 'voice':
    case 'audio':
    case 'video':
      return <Playable workspaceId={workspaceId} messageId={messageId} media={media} />;
    default:
      return <DocumentFile workspaceId={workspaceId} messageId={messageId} media={media} word={word} />;
  }
}

function Picture({ workspaceId, messageId, media, fromShop }: Props) {
  const file = useFileUrl(workspaceId, messageId, true);
  const [large, setLarge] = useState(false);
  const src = file !== null && 'url' in file ? file.url : media.thumbnail;
  const alt =
    media.kind === 'sticker' ? 'Sticker' : fromShop === true ? 'Photo you sent' : 'Photo from the customer';
  if (src === null)
    return <span className="media__meta">Loading {KIND_WORD[media.kind].toLowerCase()}…</span>;
  if (media.kind === 'sticker') return <img className="media__sticker" src={src} alt={alt} />;
  return (
    <>
      <button
        className="media__picture"
        type="button"
        onClick={() => setLarge(true)}
        aria-label="Show the photo larger"
        title="Show the photo larger"
      >
        <img src={src} alt={alt} />
      </button>
      {large && (
        <div className="media-viewer" role="dialog" aria-label="Photo" onClick={() => setLarge(false)}>
          <img src={src} alt={alt} />
          <button className="button button--small" type="button" onClick={() => setLarge(false)}>
            Close
          </button>
        </div>
      )}
    </>
  );
}

function Playable({ workspaceId, messageId, media }: Props) {
  const [wanted, setWanted] = useState(false);
  const file = useFileUrl(workspaceId, messageId, wanted);
  const label = `${KIND_WORD[media.kind]}${media.durationSeconds !== null ? ` · ${formatDuration(media.durationSeconds)}` : ''}`;
  if (file !== null && 'url' in file) {
    return media.kind === 'video' ? (
      <video className="media__video" src={file.url} controls autoPlay aria-label={label} />
    ) : (
      <audio className="media__audio" src={file.url} controls autoPlay aria-label={label} />
    );
  }
  return (
    <div className="media media--playable">
      {media.kind === 'video' && media.thumbnail !== null && (
        <img className="media__poster" src={media.thumbnail} alt="" />
      )}
      <button className="button button--small media__play" type="button" onClick={() => setWanted(true)}>
        Play {label.toLowerCase()}
      </button>
      {file !== null && 'error' in file && <span className="media__problem">{file.error}</span>}
    </div>
  );
}

function DocumentFile({ workspaceId, messageId, media, word }: Props & { word: string }) {
  const { client, info } = useApp();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const name = media.fileName ?? word;
  const open = async () => {
    setBusy(true);
    setProblem(null);
    try {
      if (info.shell === 'desktop') {
        await client.invoke('media.open', { workspaceId, messageId });
      } else {
        const file = await client.invoke('media.read', { workspaceId, messageId });
        const url = toBlobUrl(file);
        const link = document.createElement('a');
        link.href = url;
        link.download = file.fileName ?? name;
        link.click();
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
      }
    } catch (failure) {
      setProblem(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="media media--document">
      <span className="media__title">{name}</span>
      <span className="media__meta">
        {[media.mime, formatBytes(media.size)].filter((s) => s !== null && s !== '').join(' · ')}
      </span>
      <button
        className="button button--small"
        type="button"
        disabled={busy}
        onClick={() => void open()}
        aria-label={`${info.shell === 'desktop' ? 'Open' : 'Download'} ${name}`}
      >
        {busy ? 'Opening…' : info.shell === 'desktop' ? 'Open' : 'Download'}
      </button>
      {problem !== null && <span className="media__problem">{problem}</span>}
    </div>
  );
}

function MediaProblem({ workspaceId, messageId, media }: Props) {
  const { client } = useApp();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const word = KIND_WORD[media.kind];
  if (media.state === 'pending')
    return <span className="media__meta">Downloading {word.toLowerCase()}…</span>;
  const headline =
    media.state === 'too-large'
      ? `${word} too large to download${media.size !== null ? ` (${formatBytes(media.size)})` : ''}`
      : media.state === 'deleted'
        ? `${word} deleted after the time set in Settings`
        : `${word} could not be downloaded`;
  const retry = async () => {
    setBusy(true);
    setProblem(null);
    try {
      await client.invoke('media.retry', { workspaceId, messageId });
    } catch (failure) {
      setProblem(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="media media--problem" role="status">
      {media.thumbnail !== null && <img className="media__poster" src={media.thumbnail} alt="" />}
      <span className="media__title">{headline}</span>
      {media.error !== null && <span className="media__meta">{media.error}</span>}
      <button className="button button--small" type="button" disabled={busy} onClick={() => void retry()}>
        {busy ? 'Retrying…' : media.state === 'too-large' ? 'Download anyway' : 'Retry'}
      </button>
      {problem !== null && <span className="media__problem">{problem}</span>}
    </div>
  );
}
