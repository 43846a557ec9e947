import { useRef, type ReactNode } from 'react';

/**
 * A hidden file input and the caller's own button that opens it (`children` gets the way to open it).
 * One file at a time; the input is emptied after each pick, so the same file can be picked again.
 */
export function FilePicker(props: {
  accept: string;
  /** The hidden input's name, for screen readers and tests. */
  label: string;
  onFile: (file: File) => void;
  children: (open: () => void) => ReactNode;
}) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      {props.children(() => input.current?.click())}
      <input
        ref={input}
        type="file"
        accept={props.accept}
        hidden
        aria-label={props.label}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file !== undefined) props.onFile(file);
          e.target.value = '';
        }}
      />
    </>
  );
}
