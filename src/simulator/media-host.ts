// The local WhatsApp server's media host: HTTPS on 127.0.0.1 with the test certificate, taking
// Baileys' uploads (POST /mms/<type>/<token>?auth=...) and serving encrypted files by direct path, as
// mmg.whatsapp.net does. Files are held in memory; a path can be expired to test re-upload requests.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { MEDIA_HOST_CERT, MEDIA_HOST_KEY } from './media-certificate';

/** WhatsApp refuses larger uploads too (documents up to 2 GB; a local test host needs far less). */
const MAX_UPLOAD_BYTES = 128 * 1024 * 1024;

export interface HostedFile {
  directPath: string;
  url: string;
}

export interface MediaUpload {
  /** 'image', 'video', 'audio', 'document' (stickers upload as image): from the upload path. */
  type: string;
  directPath: string;
  size: number;
}

export class MediaHost {
  /** The upload auth token the server hands out in media_conn. */
  readonly auth = randomBytes(16).toString('hex');
  readonly uploads: MediaUpload[] = [];
  private readonly files = new Map<string, Buffer>();
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;
  private downloadsRefused = 0;
  private uploadsRefused = 0;

  constructor(private readonly log: (line: string) => void) {
    this.server = createServer({ cert: MEDIA_HOST_CERT, key: MEDIA_HOST_KEY }, (req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        this.log(`media host: ${String(err)}`);
        if (!res.headersSent) send(res, 500, { error: 'internal' });
      });
    });
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
  }

  /** host:port, what media_conn names and what Baileys puts into https://<hostname>/... */
  get hostname(): string {
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Keeps an encrypted file and returns where it can be downloaded, as an upload would. */
  put(file: Buffer): HostedFile {
    const directPath = `/v/t62.7118-24/${randomBytes(12).toString('hex')}.enc?ccb=11-4`;
    this.files.set(directPath, file);
    return { directPath, url: `https://${this.hostname}${directPath}` };
  }

  file(directPath: string): Buffer | undefined {
    return this.files.get(stripHost(directPath));
  }

  /** The link stops working (WhatsApp keeps media a limited time): downloads get 404 until re-uploaded. */
  expire(directPath: string): void {
    this.files.delete(stripHost(directPath));
  }

  /** The next `count` downloads fail with 500 (a flaky CDN), whatever they ask for. */
  refuseDownloads(count: number): void {
    this.downloadsRefused = count;
  }

  /** The next `count` uploads fail with 500 after their bytes arrived (a media host having a bad moment). */
  refuseUploads(count: number): void {
    this.uploadsRefused = count;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `https://${this.hostname}`);
    if (req.method === 'POST' && url.pathname.startsWith('/mms/')) {
      await this.upload(req, res, url);
      return;
    }
    if (req.method === 'GET') {
      if (this.downloadsRefused > 0) {
        this.downloadsRefused--;
        send(res, 500, { error: 'refused on purpose' });
        return;
      }
      const file = this.files.get(`${url.pathname}${url.search}`) ?? this.files.get(url.pathname);
      if (!file) {
        send(res, 404, { error: 'not found' });
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.length });
      res.end(file);
      return;
    }
    send(res, 405, { error: 'method not allowed' });
  }

  private async upload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const [, , type, token] = url.pathname.split('/');
    if (url.searchParams.get('auth') !== this.auth) {
      req.resume();
      send(res, 401, { error: 'bad auth' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_UPLOAD_BYTES) {
        send(res, 413, { error: 'too large' });
        req.destroy();
        return;
      }
      chunks.push(chunk);
    }
    const body = Buffer.concat(chunks);
    if (this.uploadsRefused > 0) {
      this.uploadsRefused--;
      send(res, 500, { error: 'refused on purpose' });
      return;
    }
    // The token is the file's encrypted SHA-256 in URL-safe base64 without padding.
    const hash = createHash('sha256').update(body).digest('base64url');
    if (!type || token !== hash) {
      send(res, 400, { error: 'token does not match the uploaded bytes' });
      return;
    }
    const hosted = this.put(body);
    this.uploads.push({ type, directPath: hosted.directPath, size: body.length });
    this.log(`media host: ${type} upload of ${body.length} bytes -> ${hosted.directPath}`);
    send(res, 200, { url: hosted.url, direct_path: hosted.directPath });
  }
}

function stripHost(pathOrUrl: string): string {
  if (!pathOrUrl.startsWith('https://')) return pathOrUrl;
  const url = new URL(pathOrUrl);
  return `${url.pathname}${url.search}`;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
