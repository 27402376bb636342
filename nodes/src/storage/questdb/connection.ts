import { z } from 'zod';

/** Where a QuestDB is and how to log in: what the writer, the SQL client and the config node share. */
export const questDbConnectionSchema = z.object({
  host: z.string().min(1).default('127.0.0.1').describe('Host name or address of QuestDB.'),
  /** REST, ILP over HTTP and the web console. */
  httpPort: z
    .number()
    .int()
    .min(1)
    .max(65535)
    .default(9000)
    .describe('HTTP port: REST, ILP over HTTP and the web console.'),
  /** PostgreSQL wire protocol. */
  pgPort: z.number().int().min(1).max(65535).default(8812).describe('PostgreSQL wire protocol port.'),
  user: z.string().default('admin').describe('User for ILP and the PostgreSQL wire.'),
  password: z.string().default('quest').describe('Password for ILP and the PostgreSQL wire.'),
  database: z.string().default('qdb').describe('Database name on the PostgreSQL wire.'),
  /** HTTPS for ILP and TLS for the PostgreSQL wire. */
  tls: z.boolean().default(false).describe('HTTPS for ILP and TLS for the PostgreSQL wire.'),
});
export type QuestDbConnectionInput = z.input<typeof questDbConnectionSchema>;
export type QuestDbConnection = z.output<typeof questDbConnectionSchema>;

export function questDbConnection(input: QuestDbConnectionInput = {}): QuestDbConnection {
  return questDbConnectionSchema.parse(input);
}

/** For log lines and errors; never includes the password. */
export function describeConnection(c: QuestDbConnection): string {
  return `QuestDB at ${c.host} (http ${c.httpPort}, pg ${c.pgPort})`;
}

// ILP config strings separate settings with ';' and escape a literal one by doubling it.
const escapeValue = (v: string) => v.replaceAll(';', ';;');

/** The @questdb/nodejs-client configuration string for ILP over HTTP(S). */
export function ilpConfigString(c: QuestDbConnection, settings: Record<string, string | number> = {}): string {
  const all: Record<string, string | number> = { addr: `${c.host}:${c.httpPort}`, ...settings };
  if (c.user) all['username'] = c.user;
  if (c.password) all['password'] = c.password;
  const body = Object.entries(all)
    .map(([k, v]) => `${k}=${escapeValue(String(v))}`)
    .join(';');
  return `${c.tls ? 'https' : 'http'}::${body};`;
}
