import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appNodes } from '@gridflow/nodes/app';
import { etlNodes } from '@gridflow/nodes/etl';

/** The editor builds each node's form from its JSON Schema (as the server's catalog makes it): every ETL and websocket node must convert. */
describe('ETL and websocket node schemas', () => {
  const defs = [...etlNodes, ...appNodes.filter((d) => d.type.startsWith('websocket'))];
  it.each(defs.map((d) => [d.type, d] as const))('%s converts to JSON Schema with its properties', (_type, def) => {
    const json = z.toJSONSchema(def.config, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown> };
    expect(Object.keys(json.properties ?? {})).toContain('name');
    // A Node-RED style empty node gets defaults or a clear error, never a crash.
    const parsed = def.config.safeParse({});
    if (!parsed.success) expect(parsed.error.issues[0]?.message).toBeTruthy();
  });
});
