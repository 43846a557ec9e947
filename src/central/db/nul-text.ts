import {
  OperationNodeTransformer,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type PrimitiveValueListNode,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
  type ValueNode,
} from 'kysely';

/**
 * PostgreSQL's text cannot hold U+0000 (`invalid byte sequence for encoding "UTF8": 0x00`), yet a
 * customer's message, an admin's input, a path id or a filter can carry one. One rule for every string
 * the central server stores or looks up, on both databases: NUL is written as U+E000 '0', and U+E000
 * (a private-use character) as U+E000 'e', so the text reads back exactly as it came. A string with
 * neither is stored as it is, so lookups, `like` prefixes and the order of ordinary text are unchanged.
 */
const ESCAPE = '\uE000';
const NUL = '\u0000';
const ESCAPED = /\uE000([0e])/g;

export function encodeText(value: string): string {
  if (!value.includes(NUL) && !value.includes(ESCAPE)) return value;
  return value.replaceAll(ESCAPE, `${ESCAPE}e`).replaceAll(NUL, `${ESCAPE}0`);
}

export function decodeText(value: string): string {
  if (!value.includes(ESCAPE)) return value;
  return value.replace(ESCAPED, (_, c: string) => (c === '0' ? NUL : ESCAPE));
}

class EncodeStrings extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode): ValueNode {
    return typeof node.value === 'string' ? { ...node, value: encodeText(node.value) } : node;
  }

  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    return { ...node, values: node.values.map((v) => (typeof v === 'string' ? encodeText(v) : v)) };
  }
}

/** Encodes every string parameter of every query and decodes every string column of every row. */
export class NulTextPlugin implements KyselyPlugin {
  readonly #encoder = new EncodeStrings();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#encoder.transformNode(args.node, args.queryId);
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const { result } = args;
    for (const row of result.rows) {
      for (const key of Object.keys(row)) {
        const value = row[key];
        if (typeof value === 'string' && value.includes(ESCAPE)) row[key] = decodeText(value);
      }
    }
    return Promise.resolve(result);
  }
}
