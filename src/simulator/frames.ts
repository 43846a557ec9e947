// Binary-node helpers shared by every part of the simulator. The wire codec itself is Baileys' own
// (encodeBinaryNode / decodeBinaryNode), so the server speaks exactly the dictionary the client expects.
import {
  binaryNodeToString,
  decodeBinaryNode,
  encodeBinaryNode,
  jidDecode,
  type BinaryNode,
} from '@whiskeysockets/baileys';

export type WANode = BinaryNode;
export type NodeContent = BinaryNode[] | Uint8Array | string;

export const SERVER_JID = 's.whatsapp.net';

/**
 * Builds a node, dropping undefined attributes and stringifying the rest: Baileys' encoder counts every
 * attribute key when sizing the list but only writes string values, so a number would corrupt the frame.
 */
export function makeNode(
  tag: string,
  attrs: Record<string, string | number | boolean | undefined> = {},
  content?: NodeContent,
): WANode {
  const clean: Record<string, string> = {};
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== undefined) clean[key] = String(value);
  }
  return content === undefined ? { tag, attrs: clean } : { tag, attrs: clean, content };
}

export function childrenOf(node: WANode | undefined): WANode[] {
  return node && Array.isArray(node.content) ? node.content : [];
}

export function childOf(node: WANode | undefined, tag: string): WANode | undefined {
  return childrenOf(node).find((c) => c.tag === tag);
}

export function childrenNamed(node: WANode | undefined, tag: string): WANode[] {
  return childrenOf(node).filter((c) => c.tag === tag);
}

/** Raw strings are written as BINARY_8 and come back as bytes, tokens come back as strings: accept both. */
export function bytesOf(node: WANode | undefined): Uint8Array | undefined {
  const content = node?.content;
  if (content instanceof Uint8Array) return content;
  if (typeof content === 'string') return Buffer.from(content, 'utf8');
  return undefined;
}

export function childBytes(node: WANode | undefined, tag: string): Uint8Array | undefined {
  return bytesOf(childOf(node, tag));
}

export function textOf(node: WANode | undefined): string | undefined {
  const bytes = bytesOf(node);
  return bytes ? Buffer.from(bytes).toString('utf8') : undefined;
}

export function readUintBE(bytes: Uint8Array | undefined): number | undefined {
  if (!bytes || bytes.length === 0 || bytes.length > 6) return undefined;
  let value = 0;
  for (const b of bytes) value = value * 256 + b;
  return value;
}

export function uintBE(value: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  let rest = value;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = rest & 0xff;
    rest = Math.floor(rest / 256);
  }
  return out;
}

export function encodeNode(node: WANode): Buffer {
  return encodeBinaryNode(node);
}

export function decodeNode(bytes: Uint8Array): Promise<WANode> {
  return decodeBinaryNode(Buffer.from(bytes));
}

export function nodeToString(node: WANode): string {
  return binaryNodeToString(node);
}

export interface JidParts {
  user: string;
  server: string;
  device: number;
}

export function splitJid(jid: string | undefined): JidParts | undefined {
  if (!jid) return undefined;
  const decoded = jidDecode(jid);
  if (!decoded?.user) return undefined;
  return { user: decoded.user, server: decoded.server, device: decoded.device ?? 0 };
}

export function pnJid(user: string, device?: number): string {
  return device ? `${user}:${device}@s.whatsapp.net` : `${user}@s.whatsapp.net`;
}

export function lidJid(user: string, device?: number): string {
  return device ? `${user}:${device}@lid` : `${user}@lid`;
}

/** Accepts "+234 803 123 4567", "2348031234567" or a JID; returns the digits of an E.164 number. */
export function phoneDigits(input: string): string {
  const bare = input.includes('@') ? ((input.split('@')[0] ?? '').split(':')[0] ?? '') : input;
  const digits = bare.replace(/[^0-9]/g, '');
  if (digits.length < 7 || digits.length > 15 || digits.startsWith('0')) {
    throw new Error(`not an international phone number: ${input}`);
  }
  return digits;
}

export function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}
