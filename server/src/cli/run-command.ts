import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createRegistry,
  createRuntime,
  describeProblem,
  errorMessage,
  FlowDocumentError,
  FlowValidationError,
  type AnyNodeDefinition,
} from '@gridflow/runtime';
import { allNodes } from '@gridflow/nodes';
import { encodeDebugOutput } from '../comms/debug-output.js';
import { parseArgs } from 'node:util';
import { usageErrors } from './args.js';
import { UsageError, type CliIo, type Command } from './usage.js';

// Headless output is for machines: keep values whole, only guard against pathological sizes.
const STDOUT_LIMITS = { maxStringLength: 1_000_000, maxArrayLength: 100_000, maxDepth: 50, maxNodes: 1_000_000 };

const isDefinition = (v: unknown): v is AnyNodeDefinition =>
  v !== null && typeof v === 'object' && typeof (v as { type?: unknown }).type === 'string' && typeof (v as { create?: unknown }).create === 'function';

/** Node types from a module: its default export or `nodes` export, a definition or an array of them. */
async function loadNodeModule(spec: string, cwd: string): Promise<AnyNodeDefinition[]> {
  const url = spec.startsWith('.') || isAbsolute(spec) ? pathToFileURL(resolve(cwd, spec)).href : spec;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (err) {
    throw new UsageError(`cannot load node module ${spec}: ${errorMessage(err)}`);
  }
  const exported = mod['default'] ?? mod['nodes'];
  const list = Array.isArray(exported) ? exported : [exported];
  if (!list.length || !list.every(isDefinition)) {
    throw new UsageError(`node module ${spec} must export (default or "nodes") a node definition or an array of them`);
  }
  return list;
}

async function readFlows(file: string, io: CliIo): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, file), 'utf8');
  } catch (err) {
    throw new RunFailure(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? errorMessage(err)}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new RunFailure(`${file} is not valid JSON: ${errorMessage(err)}`);
  }
}

class RunFailure extends Error {}

export const runCommand: Command = {
  summary: 'run a flows.json headless: no HTTP; debug output as JSON lines on stdout',
  usage: `gridflow run <flows.json> [--nodes <module>]...`,
  async run(args, io) {
    const { values, positionals } = usageErrors(() =>
      parseArgs({ args, strict: true, allowPositionals: true, options: { nodes: { type: 'string', multiple: true } } }),
    );
    if (positionals.length !== 1) throw new UsageError(`run needs exactly one flows file, got ${positionals.length}`);
    const file = positionals[0] as string;
    try {
      const doc = await readFlows(file, io);
      const extra: AnyNodeDefinition[] = [];
      for (const spec of values.nodes ?? []) extra.push(...(await loadNodeModule(spec, io.cwd)));
      // Types from --nodes take the place of built-in ones with the same name.
      const extraTypes = new Set(extra.map((d) => d.type));
      const registry = createRegistry([...allNodes.filter((d) => !extraTypes.has(d.type)), ...extra]);
      const runtime = createRuntime({ registry });
      runtime.events.on('debug', (d) => {
        const encoded = encodeDebugOutput(d.msg, d.format, STDOUT_LIMITS);
        const line = {
          id: d.id,
          ...(d.z !== undefined ? { z: d.z } : {}),
          ...(d.name ? { name: d.name } : {}),
          ...(d.topic !== undefined ? { topic: d.topic } : {}),
          property: d.property,
          format: encoded.format,
          msg: encoded.msg,
          time: Date.now(),
        };
        io.stdout(`${JSON.stringify(line)}\n`);
      });
      runtime.events.on('log', (l) => {
        if (l.level === 'debug') return;
        const where = l.id ? ` [${l.type ?? '?'}:${l.id}]` : '';
        io.stderr(`${l.level}${where} ${l.message}\n`);
      });
      try {
        const result = await runtime.deploy(doc, 'full');
        io.stderr(`gridflow: running ${file} (${result.started.length} nodes)${result.failed.length ? `, ${result.failed.length} failed to start` : ''}\n`);
      } catch (err) {
        await runtime.close();
        if (err instanceof FlowValidationError) {
          throw new RunFailure(`${file}: invalid flow:\n${err.problems.map((p) => `  ${describeProblem(p)}`).join('\n')}`);
        }
        if (err instanceof FlowDocumentError) throw new RunFailure(`${file}: ${err.message}`);
        throw err;
      }
      const signal = await io.stopSignal();
      io.stderr(`gridflow: ${signal}: stopping\n`);
      const { overran } = await runtime.close();
      if (overran.length) io.stderr(`gridflow: nodes did not close in time: ${overran.join(', ')}\n`);
      return 0;
    } catch (err) {
      if (err instanceof RunFailure) {
        io.stderr(`gridflow: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
  },
};
