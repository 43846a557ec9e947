/**
 * Why a file could not be fetched or kept. `expired`: the provider's link is gone (Baileys then asks
 * the sender's phone to upload it again); `too-large`: over the per-file or per-workspace cap;
 * `corrupt`: a hash or MAC check failed; `failed`: the network or the server.
 */
export type MediaErrorReason = 'expired' | 'too-large' | 'corrupt' | 'failed';

export class MediaError extends Error {
  constructor(
    readonly reason: MediaErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'MediaError';
  }
}
