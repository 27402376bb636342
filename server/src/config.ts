import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { questDbSettingsSchema } from './questdb/service.js';

/**
 * The server's configuration: one typed object with a default and a line of doc per field.
 * Sources, later ones winning: defaults, the JSON file (`--config` / GRIDFLOW_CONFIG),
 * environment variables, command-line flags.
 */
export const configSchema = z
  .object({
    port: z
      .number()
      .int()
      .min(0)
      .max(65535)
      .default(1880)
      .describe('TCP port of the editor, the API and socket.io; 0 picks a free port.'),
    host: z.string().min(1).default('0.0.0.0').describe('Interface to listen on; 127.0.0.1 keeps the server local.'),
    dataDir: z
      .string()
      .min(1)
      .default('./.gridflow')
      .describe(
        'Directory for the database and persistent context; relative paths are resolved against the working directory.',
      ),
    adminPassword: z
      .string()
      .min(8, 'must be at least 8 characters')
      .optional()
      .describe(
        'Password of the first admin user, used only when no user exists yet; generated and printed once when not given.',
      ),
    editorDir: z
      .string()
      .optional()
      .describe('Directory of the built editor bundle; defaults to editor/dist of this installation.'),
    logLevel: z
      .enum(['error', 'warn', 'info', 'debug'])
      .default('info')
      .describe('Least severe level the server logs to stderr.'),
    sessionTtlHours: z.number().positive().default(168).describe('How long a login session lasts, in hours.'),
    secureCookies: z
      .boolean()
      .default(false)
      .describe('Marks the session cookie Secure; turn on when served over HTTPS.'),
    trustProxy: z
      .boolean()
      .default(false)
      .describe('Trust X-Forwarded-* headers (behind a reverse proxy), so client IPs are right.'),
    maxBodySize: z
      .string()
      .regex(/^\d+(b|kb|mb)$/, 'must be a size like 512kb or 5mb')
      .default('5mb')
      .describe('Largest request body the API accepts.'),
    login: z
      .object({
        maxFailures: z
          .number()
          .int()
          .positive()
          .default(5)
          .describe('Failed logins allowed per user and IP within the window.'),
        windowSeconds: z
          .number()
          .int()
          .positive()
          .default(300)
          .describe('Window for counting failed logins, in seconds; also how long a blocked login waits.'),
      })
      .strict()
      .prefault({})
      .describe('Login rate limiting.'),
    debug: z
      .object({
        intervalMs: z
          .number()
          .int()
          .min(10)
          .default(100)
          .describe('How often debug batches are sent to the editor, in ms.'),
        maxPerNode: z
          .number()
          .int()
          .positive()
          .default(20)
          .describe('Debug messages one node may send per interval; the rest are counted as dropped.'),
        maxPerBatch: z.number().int().positive().default(500).describe('Debug messages per batch over all nodes.'),
        maxStringLength: z
          .number()
          .int()
          .positive()
          .default(1000)
          .describe('Longer strings in debug messages are truncated.'),
        maxArrayLength: z
          .number()
          .int()
          .positive()
          .default(100)
          .describe('Longer arrays and buffers in debug messages are truncated.'),
        maxDepth: z.number().int().positive().default(10).describe('Deeper objects in debug messages are cut.'),
      })
      .strict()
      .prefault({})
      .describe('Debug sidebar throttling.'),
    metrics: z
      .object({
        intervalMs: z
          .number()
          .int()
          .min(100)
          .default(2000)
          .describe('How often a metrics snapshot is sent to the editor, in ms.'),
        public: z.boolean().default(false).describe('Serve GET /metrics without a login or token.'),
      })
      .strict()
      .prefault({})
      .describe('Metrics.'),
    runtime: z
      .object({
        functionTimeoutMs: z
          .number()
          .int()
          .positive()
          .default(1000)
          .describe("Time limit of a function node's synchronous run, in ms."),
        closeTimeoutMs: z
          .number()
          .int()
          .positive()
          .default(15_000)
          .describe('How long a node may take to close on deploy, in ms.'),
        contextStorage: z
          .enum(['memory', 'file'])
          .default('memory')
          .describe("Default context store: 'file' keeps context across restarts (in dataDir/context)."),
      })
      .strict()
      .prefault({})
      .describe('Flow runtime.'),
    devices: z
      .object({
        enabled: z.boolean().default(true).describe('Run the device registry and the embedded MQTT device broker.'),
        mqttPort: z
          .number()
          .int()
          .min(0)
          .max(65535)
          .default(1883)
          .describe('MQTT port of the device broker; the next free port is used (and logged) when it is taken.'),
        mqttHost: z.string().min(1).default('0.0.0.0').describe('Interface the device broker listens on.'),
      })
      .strict()
      .prefault({})
      .describe('Device management.'),
    questdb: questDbSettingsSchema
      .extend({
        enabled: z
          .boolean()
          .default(true)
          .describe('Store time series in QuestDB (started by Gridflow unless `external` is set).'),
        ackAfterCommit: z
          .boolean()
          .default(false)
          .describe(
            "Acknowledge devices' QoS 1 posts only once QuestDB committed their rows (lossless if Gridflow crashes; slower).",
          ),
      })
      .prefault({})
      .describe('Time-series storage.'),
    endpoints: z
      .object({
        prefix: z
          .string()
          .regex(/^\/[\w\-/]*$/, 'must be a URL path starting with /')
          .default('/endpoints')
          .describe('URL prefix of flow endpoints (http in nodes).'),
      })
      .strict()
      .prefault({})
      .describe('Flow HTTP endpoints.'),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

interface EnvBinding {
  env: string;
  path: string[];
  kind: 'string' | 'number' | 'boolean';
}

/** Environment variables and the field each sets. */
export const envBindings: readonly EnvBinding[] = [
  { env: 'GRIDFLOW_PORT', path: ['port'], kind: 'number' },
  { env: 'GRIDFLOW_HOST', path: ['host'], kind: 'string' },
  { env: 'GRIDFLOW_DATA_DIR', path: ['dataDir'], kind: 'string' },
  { env: 'GRIDFLOW_ADMIN_PASSWORD', path: ['adminPassword'], kind: 'string' },
  { env: 'GRIDFLOW_EDITOR_DIR', path: ['editorDir'], kind: 'string' },
  { env: 'GRIDFLOW_LOG_LEVEL', path: ['logLevel'], kind: 'string' },
  { env: 'GRIDFLOW_SESSION_TTL_HOURS', path: ['sessionTtlHours'], kind: 'number' },
  { env: 'GRIDFLOW_SECURE_COOKIES', path: ['secureCookies'], kind: 'boolean' },
  { env: 'GRIDFLOW_TRUST_PROXY', path: ['trustProxy'], kind: 'boolean' },
  { env: 'GRIDFLOW_MAX_BODY_SIZE', path: ['maxBodySize'], kind: 'string' },
  { env: 'GRIDFLOW_METRICS_PUBLIC', path: ['metrics', 'public'], kind: 'boolean' },
  { env: 'GRIDFLOW_FUNCTION_TIMEOUT_MS', path: ['runtime', 'functionTimeoutMs'], kind: 'number' },
  { env: 'GRIDFLOW_CONTEXT_STORAGE', path: ['runtime', 'contextStorage'], kind: 'string' },
  { env: 'GRIDFLOW_DEVICES', path: ['devices', 'enabled'], kind: 'boolean' },
  { env: 'GRIDFLOW_MQTT_PORT', path: ['devices', 'mqttPort'], kind: 'number' },
  { env: 'GRIDFLOW_QUESTDB', path: ['questdb', 'enabled'], kind: 'boolean' },
  { env: 'GRIDFLOW_QUESTDB_ACK_AFTER_COMMIT', path: ['questdb', 'ackAfterCommit'], kind: 'boolean' },
  { env: 'GRIDFLOW_QUESTDB_HTTP_PORT', path: ['questdb', 'httpPort'], kind: 'number' },
  { env: 'GRIDFLOW_QUESTDB_PG_PORT', path: ['questdb', 'pgPort'], kind: 'number' },
  { env: 'GRIDFLOW_QUESTDB_HOST', path: ['questdb', 'external', 'host'], kind: 'string' },
  { env: 'GRIDFLOW_ENDPOINTS_PREFIX', path: ['endpoints', 'prefix'], kind: 'string' },
];

/** A configuration that failed validation; the message names every bad field and where it came from. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(
    message: string,
    readonly issues: { path: string; source: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

export interface LoadConfigOptions {
  /** A JSON config file; when absent GRIDFLOW_CONFIG is used, when that is absent no file. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Values from command-line flags, highest precedence. */
  overrides?: Record<string, unknown>;
  /** For resolving relative paths; the process's working directory by default. */
  cwd?: string;
}

type Json = Record<string, unknown>;

function setPath(target: Json, path: readonly string[], value: unknown): void {
  let cur = target;
  for (const key of path.slice(0, -1)) {
    const next = cur[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) cur[key] = {};
    cur = cur[key] as Json;
  }
  cur[path[path.length - 1] as string] = value;
}

function convertEnv(raw: string, kind: EnvBinding['kind']): unknown {
  if (kind === 'number') return /^-?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : raw;
  if (kind === 'boolean') {
    const v = raw.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
    return raw;
  }
  return raw;
}

function readConfigFile(file: string): Json {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`config file ${file} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`config file ${file} must hold a JSON object`);
  }
  return parsed as Json;
}

/** Builds and validates the configuration; throws ConfigError naming each bad field and its source. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const sources = new Map<string, string>();
  const input: Json = {};

  const fileOpt = options.file ?? env['GRIDFLOW_CONFIG'];
  if (fileOpt) {
    const file = isAbsolute(fileOpt) ? fileOpt : resolve(cwd, fileOpt);
    const fromFile = readConfigFile(file);
    Object.assign(input, structuredClone(fromFile));
    const mark = (obj: Json, prefix: string[]) => {
      for (const [k, v] of Object.entries(obj)) {
        const path = [...prefix, k];
        sources.set(path.join('.'), `config file ${file}`);
        if (v !== null && typeof v === 'object' && !Array.isArray(v)) mark(v as Json, path);
      }
    };
    mark(fromFile, []);
  }
  for (const binding of envBindings) {
    const raw = env[binding.env];
    if (raw === undefined) continue;
    setPath(input, binding.path, convertEnv(raw, binding.kind));
    sources.set(binding.path.join('.'), `env ${binding.env}`);
  }
  for (const [key, value] of Object.entries(options.overrides ?? {})) {
    if (value === undefined) continue;
    const path = key.split('.');
    setPath(input, path, value);
    sources.set(key, 'command line');
  }

  const result = configSchema.safeParse(input);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
      const path = [...issue.path.map(String), ...(keys.length === 1 ? keys : [])].join('.');
      const source = sources.get(path) ?? sourceOfPrefix(sources, path) ?? 'defaults';
      return { path: path || '(root)', source, message: issue.message };
    });
    const lines = issues.map((i) => `  ${i.path} (from ${i.source}): ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`, issues);
  }
  const config = result.data;
  config.dataDir = isAbsolute(config.dataDir) ? config.dataDir : resolve(cwd, config.dataDir);
  if (config.editorDir !== undefined && !isAbsolute(config.editorDir))
    config.editorDir = resolve(cwd, config.editorDir);
  return config;
}

function sourceOfPrefix(sources: Map<string, string>, path: string): string | undefined {
  const parts = path.split('.');
  while (parts.length > 1) {
    parts.pop();
    const s = sources.get(parts.join('.'));
    if (s) return s;
  }
  return undefined;
}

/** Each field with its doc, default and environment variable, for `--help` and docs. */
export function describeConfig(): { path: string; doc: string; default?: unknown; env?: string }[] {
  const out: { path: string; doc: string; default?: unknown; env?: string }[] = [];
  const walk = (schema: z.ZodObject, prefix: string[]) => {
    for (const [key, field] of Object.entries(schema.shape)) {
      const path = [...prefix, key];
      const inner = unwrap(field as z.ZodType);
      if (inner instanceof z.ZodObject) {
        walk(inner, path);
        continue;
      }
      const env = envBindings.find((b) => b.path.join('.') === path.join('.'))?.env;
      const parsed = (field as z.ZodType).safeParse(undefined);
      out.push({
        path: path.join('.'),
        doc: describedBy(field as z.ZodType),
        ...(parsed.success && parsed.data !== undefined ? { default: parsed.data } : {}),
        ...(env ? { env } : {}),
      });
    }
  };
  walk(configSchema, []);
  return out;
}

// Wrapping a schema (optional, partial) drops its description, so look through the wrappers.
function describedBy(schema: z.ZodType): string {
  let cur: z.ZodType = schema;
  for (let i = 0; i < 5 && !cur.description; i++) {
    if (cur instanceof z.ZodDefault || cur instanceof z.ZodPrefault || cur instanceof z.ZodOptional)
      cur = cur.unwrap() as z.ZodType;
    else break;
  }
  return cur.description ?? '';
}

function unwrap(schema: z.ZodType): z.ZodType {
  let cur: z.ZodType = schema;
  for (let i = 0; i < 5; i++) {
    if (cur instanceof z.ZodDefault || cur instanceof z.ZodPrefault || cur instanceof z.ZodOptional) {
      cur = cur.unwrap() as z.ZodType;
    } else break;
  }
  return cur;
}
