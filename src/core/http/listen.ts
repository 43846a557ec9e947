import type { Server as HttpServer } from 'node:http';
import type { AddressInfo, Server } from 'node:net';

/** Resolves with the port and URL once listening (port 0 picks a free one). */
export function listenOn(server: Server, port: number, host: string): Promise<{ port: number; url: string }> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({ port: address.port, url: `http://${shownHost}:${address.port}` });
    });
  });
}

/** An HTTP server a shell runs (the host's binding, the central server): listened on, closed once. */
export interface HttpService {
  readonly server: HttpServer;
  listen(port: number, host: string): Promise<{ port: number; url: string }>;
  close(): Promise<void>;
}
