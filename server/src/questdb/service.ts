import { join } from 'node:path';
import { z } from 'zod';
import {
  describeConnection,
  questDbConnection,
  questDbConnectionSchema,
  type QuestDbConnection,
} from '@gridflow/nodes/storage';
import { startQuestDb, type ManagedQuestDb } from './manager.js';
import { waitForQuestDb } from './readiness.js';

/** The server's QuestDB settings: an external QuestDB, or the one Gridflow starts in its data directory. */
export const questDbSettingsSchema = z
  .object({
    external: questDbConnectionSchema
      .partial()
      .optional()
      .describe('Use this QuestDB (host, httpPort, pgPort, user, password, tls) instead of starting one.'),
    httpPort: z
      .number()
      .int()
      .min(0)
      .max(65535)
      .default(9000)
      .describe('HTTP port (REST, ILP, console) of the QuestDB Gridflow starts; 0 picks a free port.'),
    pgPort: z
      .number()
      .int()
      .min(0)
      .max(65535)
      .default(8812)
      .describe('PostgreSQL-wire port of the QuestDB Gridflow starts; 0 picks a free port.'),
    heapMb: z
      .number()
      .int()
      .min(64)
      .default(512)
      .describe('Java heap of the QuestDB Gridflow starts, in MB (its data lives off-heap).'),
    startTimeoutMs: z
      .number()
      .int()
      .positive()
      .default(60_000)
      .describe('How long QuestDB may take to start or to become reachable, in ms.'),
  })
  .strict();
export type QuestDbSettings = z.infer<typeof questDbSettingsSchema>;
export type QuestDbSettingsInput = z.input<typeof questDbSettingsSchema>;

/** A QuestDB ready for use, started here or external. */
export interface QuestDbService {
  readonly connection: QuestDbConnection;
  /** Present when Gridflow started this QuestDB. */
  readonly managed: ManagedQuestDb | undefined;
  /** Stops a started QuestDB; leaves an external one alone. */
  close(): Promise<void>;
}

/** Waits until an external QuestDB answers, so a wrong host or port is reported at start. */
export async function connectExternalQuestDb(
  input: z.input<typeof questDbConnectionSchema>,
  timeoutMs = 10_000,
): Promise<QuestDbService> {
  const connection = questDbConnection(input);
  try {
    await waitForQuestDb(connection, { timeoutMs });
  } catch (err) {
    throw new Error(`the external ${describeConnection(connection)} is not reachable: ${(err as Error).message}`);
  }
  return { connection, managed: undefined, close: async () => undefined };
}

export async function openQuestDb(
  settingsInput: QuestDbSettingsInput,
  options: { dataDir: string; onProgress?: (line: string) => void },
): Promise<QuestDbService> {
  const settings = questDbSettingsSchema.parse(settingsInput);
  if (settings.external) return connectExternalQuestDb(settings.external, settings.startTimeoutMs);
  const managed = await startQuestDb({
    root: join(options.dataDir, 'questdb'),
    httpPort: settings.httpPort,
    pgPort: settings.pgPort,
    heapMb: settings.heapMb,
    startTimeoutMs: settings.startTimeoutMs,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return {
    get connection() {
      return managed.connection;
    },
    managed,
    close: () => managed.stop(),
  };
}
