import type { Msg, NodeContext } from '@gridflow/runtime';
import { createKeyedState, type KeyedState } from './keyed-state.js';
import { compileAccessor, keyString } from './message-access.js';
import { reportKeyStatus } from './stream-config.js';

export interface KeyedSetup<S> {
  keyOf(msg: Msg): string;
  keys: KeyedState<S>;
}

/**
 * The key accessor and bounded per-key state every keyed node starts with, with live keys and
 * evictions shown in the node status. `onEvict` releases what a key holds (timers, queues).
 */
export function keyedSetup<S>(
  ctx: NodeContext,
  c: { key: string; keyType: string; maxKeys: number },
  options: { onEvict?(key: string, state: S): void; status?(): string } = {},
): KeyedSetup<S> {
  const read = compileAccessor(ctx, c.key, c.keyType);
  const keys = createKeyedState<S>({ maxKeys: c.maxKeys, ...(options.onEvict ? { onEvict: options.onEvict } : {}) });
  reportKeyStatus(ctx, keys, options.status);
  return { keyOf: (msg) => keyString(read(msg)), keys };
}
