import { serviceKey } from '@gridflow/runtime';
import type { QuestDbConnection } from './questdb/connection.js';
import type { Alert } from '../stream/alert-sink.js';

/**
 * The host's own QuestDB (the one the server starts or is configured with), offered to nodes as a
 * service: `questdb-config` nodes set to "this server's QuestDB" take their connection from it.
 */
export interface QuestDbHostService {
  readonly connection: QuestDbConnection;
  /** Whether the server started this QuestDB itself (false: an external one). */
  readonly managed: boolean;
  /** Stores an alert transition (raise or clear) in the `alerts` table. */
  recordAlert(alert: Alert): Promise<void>;
}

export const questDbServiceKey = serviceKey<QuestDbHostService>('questdb');
