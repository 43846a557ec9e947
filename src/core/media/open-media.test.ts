import { readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { openMediaFile, safeFileName } from './open-media';

describe('opening a document', () => {
  it('names the file safely whatever the sender called it', () => {
    expect(safeFileName('price-list.pdf', 'application/pdf')).toBe('price-list.pdf');
    expect(safeFileName('../../etc/passwd', 'text/plain')).toBe('passwd');
    expect(safeFileName('C:\\Windows\\evil.exe', 'application/octet-stream')).toBe('evil.exe');
    expect(safeFileName('bad\u0000na:me?.pdf', 'application/pdf')).toBe('bad_na_me_.pdf');
    expect(safeFileName('...', 'application/pdf')).toBe('file.pdf');
    expect(safeFileName(null, 'audio/ogg; codecs=opus')).toBe('file.ogg');
  });

  it('writes the file privately under the temp folder and hands it to the opener; its reason comes back', async () => {
    const opened: string[] = [];
    const data = Buffer.from('%PDF-1.4 menu');
    const problem = await openMediaFile(
      { mime: 'application/pdf', fileName: 'menu.pdf', data: data.toString('base64') },
      (path) => {
        opened.push(path);
        return Promise.resolve('');
      },
    );
    expect(problem).toBe('');
    expect(opened[0]!.startsWith(tmpdir())).toBe(true);
    expect(opened[0]!.endsWith('menu.pdf')).toBe(true);
    expect(readFileSync(opened[0]!)).toEqual(data);
    if (process.platform !== 'win32') expect(statSync(opened[0]!).mode & 0o077).toBe(0);
    const refused = await openMediaFile({ mime: 'x/y', fileName: null, data: '' }, () =>
      Promise.resolve('no application'),
    );
    expect(refused).toBe('no application');
  });
});
