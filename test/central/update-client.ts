// electron-updater's own generic provider, run in plain Node against the central server: the channel
// file name it asks for, the headers and URLs it builds and the YAML parse are the app's, not a copy.
// Only the transport differs: node:http instead of Electron's net module (what electron-builder's own
// NodeHttpExecutor does).
import { request, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CancellationToken, DigestTransform, HttpExecutor, type UpdateInfo } from 'builder-util-runtime';
import type { AppUpdater } from 'electron-updater';
import type { ElectronHttpExecutor } from 'electron-updater/out/electronHttpExecutor';
import { GenericProvider } from 'electron-updater/out/providers/GenericProvider';
import type { ProviderPlatform } from 'electron-updater/out/providers/Provider';
import type { OfferedUpdate } from '../../src/core/updates/schedule';

class NodeHttpExecutor extends HttpExecutor<ClientRequest> {
  createRequest(options: RequestOptions, callback: (response: IncomingMessage) => void): ClientRequest {
    return request(options, callback);
  }
}

export type FeedInfo = UpdateInfo & OfferedUpdate;

export interface UpdateClient {
  /** What electron-updater's checkForUpdates reads: the parsed channel file. */
  latest(): Promise<FeedInfo>;
  /** Downloads the offered installer with the same headers, checked against its sha512 as the updater does. */
  download(info: FeedInfo): Promise<Buffer>;
}

export function updateClient(
  feedUrl: string,
  token: string,
  platform: ProviderPlatform = 'linux',
): UpdateClient {
  const executor = new NodeHttpExecutor();
  // The slice of AppUpdater the provider reads: no channel set, and (as with an authorization header)
  // no cache-busting query.
  const updater = { channel: null, isAddNoCacheQuery: false } as unknown as AppUpdater;
  const provider = new GenericProvider({ provider: 'generic', url: feedUrl }, updater, {
    executor: executor as unknown as ElectronHttpExecutor,
    platform,
    isUseMultipleRangeRequest: false,
  });
  // As autoUpdater.addAuthHeader(`Bearer ${token}`) leaves it.
  const headers = { authorization: `Bearer ${token}` };
  provider.setRequestHeaders(headers);
  return {
    latest: () => provider.getLatestVersion(),
    async download(info) {
      const [file] = provider.resolveFiles(info);
      const bytes = await executor.downloadToBuffer(file!.url, {
        headers: { ...headers, accept: '*/*' },
        cancellationToken: new CancellationToken(),
      });
      const chunks: Buffer[] = [];
      await pipeline(
        [bytes],
        new DigestTransform(file!.info.sha512),
        new Writable({
          write(chunk: Buffer, _encoding, done) {
            chunks.push(chunk);
            done();
          },
        }),
      );
      return Buffer.concat(chunks);
    },
  };
}
