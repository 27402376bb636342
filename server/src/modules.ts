import { alertsModule } from './alerts/index.js';
import type { Config } from './config.js';
import { devicesModule } from './devices/index.js';
import { edgeModule } from './edges/edge-module.js';
import { endpointsModule } from './endpoints/endpoints-module.js';
import { jobsModule } from './jobs/jobs-module.js';
import { openApiModule } from './openapi/index.js';
import { questdbModule } from './questdb/index.js';
import { websocketModule } from './websocket/websocket-module.js';
import type { ServerModule } from './server.js';

/** The modules `gridflow start` (and `npm start`) load, in order, each with its options from `config`. */
export function defaultModules(config: Config): ServerModule[] {
  const modules: ServerModule[] = [];
  if (config.devices.enabled)
    modules.push(devicesModule({ mqttPort: config.devices.mqttPort, mqttHost: config.devices.mqttHost }));
  if (config.questdb.enabled) {
    // Devices first: the storage ingest takes the device hub they provide; alerts find QuestDB the same way.
    const { enabled: _enabled, ackAfterCommit, ...questdb } = config.questdb;
    modules.push(questdbModule({ questdb, ackAfterCommit }));
  }
  modules.push(edgeModule());
  modules.push(endpointsModule({ prefix: config.endpoints.prefix }));
  modules.push(websocketModule({ prefix: config.endpoints.prefix }));
  modules.push(jobsModule());
  modules.push(alertsModule());
  modules.push(openApiModule());
  return modules;
}
