// Public entry point of the local WhatsApp simulator (tests and the app's demo mode).
import { trustSimulatorRoot } from './certificates';
import { SimulatorServer, type WhatsAppServer, type WhatsAppServerOptions } from './server';

export type { WhatsAppServer, WhatsAppServerOptions } from './server';
export type { SimulatedContact, ContactReply, ContactMessageKind, SendFault } from './contact';
export type { TransportMode } from './ws-transport';
export type { SimulatedMedia, ReceivedMedia } from './contact-media';
export type { MediaHost } from './media-host';
export { encryptMedia, decryptMedia, type MediaKeyType } from './media-crypto';

export async function startWhatsAppServer(options: WhatsAppServerOptions = {}): Promise<WhatsAppServer> {
  const server = new SimulatorServer(options);
  await server.start(options.port ?? 0);
  return server;
}

/**
 * !!! TESTS AND DEMO MODE ONLY !!!
 * Makes every Baileys client in this process accept the simulator's Noise certificate chain, by
 * overwriting Baileys' exported WA_CERT_DETAILS.PUBLIC_KEY (the root the client checks the intermediate
 * certificate against) with the simulator's root key. That root key is derived from a public seed, so
 * after this call the process would trust any impostor: never call it in a process that also connects
 * to the real WhatsApp.
 */
export function trustSimulator(server: Pick<WhatsAppServer, 'rootPublicKey'>): void {
  trustSimulatorRoot(server.rootPublicKey);
}
