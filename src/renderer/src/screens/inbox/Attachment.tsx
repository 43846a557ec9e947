// A file the owner sends from the thread: picked with the paperclip, dropped on the thread, or pasted
// (a picture from the clipboard). It starts uploading at once, with its progress on screen, while
// the owner types a caption in the reply box; Send then sends it with that caption.
import { useEffect, useState, type ClipboardEvent, type DragEvent, type ReactNode } from 'react';
import { SENDABLE_ACCEPT, type UploadedFile } from '../../../../shared/media-send-contract';
import { errorMessage } from '../../client/client';
import { uploadFile, type UploadProgress } from '../../client/upload-file';
import { FilePicker } from '../../components/FilePicker';
import { Icon } from '../../components/Icon';
import { formatBytes } from '../../components/MessageMedia';
import { useApp } from '../../state/app-context';
import { attempt } from '../../state/attempt';
import './attachment.css';

interface Pending {
  file: File;
  preview: string | null;
  progress: UploadProgress;
  upload: Promise<UploadedFile>;
  uploaded: UploadedFile | null;
  controller: AbortController;
}

export interface Attachment {
  /** A file is chosen (uploading or uploaded). */
  active: boolean;
  /** Photos and documents carry the reply box's text as their caption; voice notes and audio do not. */
  takesCaption: boolean;
  /** The paperclip button and its hidden file input, for the reply form. */
  button: ReactNode;
  /** The chosen file, its progress and any problem, shown above the reply form. */
  panel: ReactNode;
  /** Spread on the thread: a file dropped anywhere on it is attached. */
  dropProps: {
    onDragOver: (event: DragEvent<HTMLElement>) => void;
    onDragLeave: (event: DragEvent<HTMLElement>) => void;
    onDrop: (event: DragEvent<HTMLElement>) => void;
  };
  dragging: boolean;
  onPaste: (event: ClipboardEvent<HTMLTextAreaElement>) => void;
  /** Waits for the upload, then sends the file into the chat; false (with the problem shown) on failure. */
  send(caption: string): Promise<boolean>;
}

/** The chosen file and its upload, which starts at once; removing or replacing it stops the upload. */
function usePendingFile(workspaceId: string) {
  const { client } = useApp();
  const [pending, setPending] = useState<Pending | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  // A file removed, replaced or sent, or the chat closed: its upload stops and its preview goes.
  const controller = pending?.controller;
  const preview = pending?.preview ?? null;
  useEffect(
    () => () => {
      controller?.abort();
      if (preview !== null) URL.revokeObjectURL(preview);
    },
    [controller, preview],
  );

  const attach = (file: File) => {
    setProblem(null);
    const controller = new AbortController();
    const preview = /^image\/(jpeg|png)$/.test(file.type) ? URL.createObjectURL(file) : null;
    const entry: Pending = {
      file,
      preview,
      progress: { sent: 0, total: file.size },
      controller,
      uploaded: null,
      upload: Promise.resolve(null as unknown as UploadedFile),
    };
    const mine = (update: (p: Pending) => Pending) =>
      setPending((p) => (p === null || p.controller !== controller ? p : update(p)));
    entry.upload = uploadFile(
      client,
      workspaceId,
      file,
      (progress) => mine((p) => ({ ...p, progress })),
      controller.signal,
    );
    entry.upload.then(
      (uploaded) => mine((p) => ({ ...p, uploaded })),
      (failure: unknown) => {
        if (controller.signal.aborted) return;
        setProblem(errorMessage(failure));
        setPending((p) => (p?.controller === controller ? null : p));
      },
    );
    setPending(entry);
  };
  return { pending, setPending, problem, setProblem, attach };
}

/** A file dragged onto the thread or pasted into the reply box is attached. */
function useDropAndPaste(attach: (file: File) => void) {
  const [dragging, setDragging] = useState(false);
  const dropProps = {
    onDragOver: (event: DragEvent<HTMLElement>) => {
      if (![...event.dataTransfer.types].includes('Files')) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
      setDragging(true);
    },
    onDragLeave: (event: DragEvent<HTMLElement>) => {
      if (event.currentTarget.contains(event.relatedTarget as Node | null)) return;
      setDragging(false);
    },
    onDrop: (event: DragEvent<HTMLElement>) => {
      const file = event.dataTransfer.files[0];
      setDragging(false);
      if (file === undefined) return;
      event.preventDefault();
      attach(file);
    },
  };

  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    const file = [...event.clipboardData.files][0];
    if (file === undefined) return;
    event.preventDefault();
    // A screenshot pasted has no useful name: name it by its type.
    const named =
      file.name === '' || file.name === 'image.png'
        ? new File([file], `pasted-picture.${file.type === 'image/jpeg' ? 'jpg' : 'png'}`, {
            type: file.type,
          })
        : file;
    attach(named);
  };
  return { dropProps, dragging, onPaste };
}

export function useAttachment(props: { workspaceId: string; chatId: string }): Attachment {
  const { client } = useApp();
  const { pending, setPending, problem, setProblem, attach } = usePendingFile(props.workspaceId);
  const [sending, setSending] = useState(false);
  const { dropProps, dragging, onPaste } = useDropAndPaste(attach);

  const takesCaption =
    pending === null ||
    !/^(audio\/|.*\.(ogg|opus|oga|mp3|m4a|aac|amr)$)/i.test(pending.file.type || pending.file.name);

  const send = async (caption: string): Promise<boolean> => {
    if (pending === null || sending) return false;
    setSending(true);
    const sent = await attempt(async () => {
      const uploaded = await pending.upload;
      await client.invoke('conversation.sendMedia', {
        workspaceId: props.workspaceId,
        chatId: props.chatId,
        uploadId: uploaded.uploadId,
        caption: uploaded.kind === 'voice' || uploaded.kind === 'audio' ? '' : caption,
      });
      setPending(null);
    }, setProblem);
    setSending(false);
    return sent;
  };

  const panel =
    pending === null && problem === null ? null : (
      <AttachmentPanel
        pending={pending}
        problem={problem}
        sending={sending}
        takesCaption={takesCaption}
        onRemove={() => setPending(null)}
      />
    );
  return {
    active: pending !== null,
    takesCaption,
    button: <AttachButton onFile={attach} />,
    panel,
    dropProps,
    dragging,
    onPaste,
    send,
  };
}

function AttachButton({ onFile }: { onFile: (file: File) => void }) {
  return (
    <FilePicker accept={SENDABLE_ACCEPT} label="File to send" onFile={onFile}>
      {(open) => (
        <button
          className="button button--ghost composer__attach"
          type="button"
          onClick={open}
          aria-label="Attach a photo, document or voice note"
          title="Attach a photo, document or voice note (or drop a file on the chat, or paste a picture)"
        >
          <Icon name="clip" />
        </button>
      )}
    </FilePicker>
  );
}

/** The chosen file above the reply box: preview, name, size, upload progress, Remove; or the problem. */
function AttachmentPanel(props: {
  pending: Pending | null;
  problem: string | null;
  sending: boolean;
  takesCaption: boolean;
  onRemove: () => void;
}) {
  const { pending, problem, sending, takesCaption } = props;
  const percent =
    pending === null || pending.progress.total === 0
      ? 0
      : Math.round((pending.progress.sent / pending.progress.total) * 100);
  const state = sending
    ? 'Sending…'
    : pending?.uploaded != null
      ? takesCaption
        ? 'Ready: add a caption below if you like, then Send'
        : 'Ready: a voice note goes without a caption; your text is sent after it'
      : `Uploading… ${percent}%`;
  return (
    <div className="attachment" aria-live="polite">
      {problem !== null && (
        <p className="notice notice--problem attachment__problem" role="alert">
          {problem}
        </p>
      )}
      {pending !== null && (
        <div className="attachment__file">
          {pending.preview !== null ? (
            <img className="attachment__preview" src={pending.preview} alt="" />
          ) : (
            <span className="attachment__icon" aria-hidden="true">
              {takesCaption ? 'DOC' : 'AUDIO'}
            </span>
          )}
          <span className="attachment__body">
            <span className="attachment__name">{pending.file.name}</span>
            <span className="attachment__meta">
              {formatBytes(pending.file.size)} · {state}
            </span>
            <progress
              className="attachment__progress"
              max={100}
              value={pending.uploaded !== null ? 100 : percent}
              aria-label={`Upload of ${pending.file.name}`}
            />
          </span>
          <button
            className="button button--ghost button--small"
            type="button"
            disabled={sending}
            onClick={props.onRemove}
            aria-label={`Remove ${pending.file.name}`}
          >
            Remove
          </button>
        </div>
      )}
    </div>
  );
}
