import type { Config } from './config.js';
import type { ServerModule } from './server.js';

/**
 * The modules `gridflow start` (and `npm start`) load, in order: device broker, edge hub,
 * flow HTTP endpoints, QuestDB, ... Each module adds its entry here with options from `config`.
 */
export function defaultModules(_config: Config): ServerModule[] {
  return [];
}
