/**
 * QuestDB for the server: starting a local one (or using an external one), plus the client side
 * (writer, SQL client, table layouts), which lives with the storage nodes and is re-exported here.
 */
export { startQuestDb, QuestDbStartError, type ManagedQuestDb, type StartQuestDbOptions } from './manager.js';
export {
  openQuestDb,
  connectExternalQuestDb,
  questDbSettingsSchema,
  type QuestDbService,
  type QuestDbSettings,
  type QuestDbSettingsInput,
} from './service.js';
export { resolveQuestDbJar, pinnedQuestDbVersion, questDbJarPath, QuestDbJarError } from './jar.js';
export { checkJava, parseJavaMajor, JavaMissingError } from './java.js';
export { renderServerConf, type ServerConfOptions } from './server-conf.js';
export { probeQuestDb, waitForQuestDb } from './readiness.js';
export { freePort } from './free-port.js';
export {
  createWriter,
  createSqlClient,
  ensureTable,
  readColumns,
  createTablePreparer,
  createTableSql,
  planTableEvolution,
  setTtlSql,
  downsampleViews,
  questDbConnection,
  type QuestDbConnection,
  type Writer,
  type WriterOptions,
  type WriterStats,
  type SqlClient,
  type Row,
  type TableLayoutInput,
} from '@gridflow/nodes/storage';
export { questdbModule, type QuestDbModuleOptions } from './questdb-module.js';
