// The photo or document an FAQ's answer sends with its text (the price list, the menu). Chosen in the
// FAQ editor: it uploads at once with its progress and is attached as soon as it is whole.
import { useEffect, useState } from 'react';
import { FormError } from '../components/Field';
import type { FaqAttachment } from '../../../shared/media-send-contract';
import { errorMessage } from '../client/client';
import { uploadFile, type UploadProgress } from '../client/upload-file';
import { FilePicker } from '../components/FilePicker';
import { formatBytes } from '../components/MessageMedia';
import { useApp } from '../state/app-context';

/** Photos and documents only: a voice note cannot go under an answer's text. */
const ACCEPT =
  'image/jpeg,image/png,.jpg,.jpeg,.png,application/pdf,.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.txt';

/** The FAQ's file, read when the editor opens; attach uploads and attaches, remove detaches. */
function useFaqAttachment(workspaceId: string, faqId: string | null) {
  const { client } = useApp();
  const [current, setCurrent] = useState<FaqAttachment | null>(null);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (faqId === null) return;
    client
      .invoke('faq.attachment', { workspaceId, faqId })
      .then(setCurrent)
      .catch(() => undefined);
  }, [client, workspaceId, faqId]);

  const attach = async (faqId: string, file: File) => {
    setProblem(null);
    setProgress({ sent: 0, total: file.size });
    try {
      const uploaded = await uploadFile(client, workspaceId, file, setProgress, new AbortController().signal);
      setCurrent(await client.invoke('faq.attach', { workspaceId, faqId, uploadId: uploaded.uploadId }));
    } catch (failure) {
      setProblem(errorMessage(failure));
    } finally {
      setProgress(null);
    }
  };

  const remove = async (faqId: string) => {
    try {
      await client.invoke('faq.detach', { workspaceId, faqId });
      setCurrent(null);
    } catch (failure) {
      setProblem(errorMessage(failure));
    }
  };
  return { current, progress, problem, attach, remove };
}

export function FaqAttachmentField(props: { workspaceId: string; faqId: string | null }) {
  const { current, progress, problem, attach, remove } = useFaqAttachment(props.workspaceId, props.faqId);
  const { faqId } = props;

  if (faqId === null) {
    return (
      <p className="muted faq-attachment">
        Save the FAQ first; then you can attach a photo or document (a price list, a menu) to its answer.
      </p>
    );
  }

  const percent =
    progress === null || progress.total === 0 ? 0 : Math.round((progress.sent / progress.total) * 100);
  return (
    <div className="field faq-attachment">
      <span className="field__label">Photo or document sent with the answer</span>
      {current !== null && progress === null && (
        <p className="faq-attachment__current">
          <span>
            {current.kind === 'image' ? 'Photo' : 'Document'}: <strong>{current.fileName}</strong> (
            {formatBytes(current.size)}). The answer is its caption.
          </span>{' '}
          <button
            className="button button--ghost button--small"
            type="button"
            onClick={() => void remove(faqId)}
          >
            Remove {current.fileName}
          </button>
        </p>
      )}
      {progress !== null && (
        <p className="faq-attachment__current">
          Uploading… {percent}% <progress max={100} value={percent} aria-label="Upload of the attachment" />
        </p>
      )}
      <FilePicker accept={ACCEPT} label="File for the answer" onFile={(file) => void attach(faqId, file)}>
        {(open) => (
          <span>
            <button
              className="button button--secondary button--small"
              type="button"
              disabled={progress !== null}
              onClick={open}
            >
              {current === null ? 'Attach a photo or document' : 'Replace it'}
            </button>
          </span>
        )}
      </FilePicker>
      <FormError error={problem} />
    </div>
  );
}
