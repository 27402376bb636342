import { fileURLToPath } from 'node:url';
import type { FlowNode } from '@gridflow/runtime';
import { edgeHubKey } from '@gridflow/nodes/edge';
import type { ServerModule } from '../server.js';
import { createEdgeHub, type EdgeDeployType } from './edge-hub.js';
import { edgeMigrations } from './migrations.js';
import { edgeRoutes } from './edge-routes.js';
import { createSqliteEdgeStore } from './edge-store.js';
import { createEditorRelay } from './edge-relay.js';
import { createEdgeGatewayPresence } from './edge-gateway-presence.js';
import { createEdgeDevicePosts } from './edge-device-posts.js';
import { gatewayPostsKey } from '../devices/gateway-posts.js';

/** edge-package/release of this checkout (the same from server/src and server/dist). */
const DEFAULT_PACKAGE_DIR = fileURLToPath(new URL('../../../edge-package/release', import.meta.url));

export interface EdgeModuleOptions {
  /** Where `npm run build:edge` leaves the agent tarball. */
  packageDir?: string;
}

/**
 * Edge management: enrollment, the `/edge` socket namespace, deploying edge-targeted tabs to
 * the agents after every cloud deploy, the `edge in` service, and device posts of edges bound to
 * a gateway device.
 */
export function edgeModule(options: EdgeModuleOptions = {}): ServerModule {
  return {
    name: 'edges',
    migrations: edgeMigrations,
    setup(host) {
      const store = createSqliteEdgeStore(host.db);
      let current: readonly FlowNode[] = [];
      const relay = createEditorRelay(host);
      // Looked up when used: the devices module may be set up after this one, or not at all.
      const gatewayPosts = () => host.service(gatewayPostsKey);
      const devicePosts = createEdgeDevicePosts({ posts: gatewayPosts, log: host.logger, relay });
      const hub = createEdgeHub({
        io: host.io,
        store,
        log: host.logger,
        currentFlows: () => current,
        relay,
        devicePosts,
        presence: createEdgeGatewayPresence({ posts: gatewayPosts, log: host.logger }),
      });
      host.provide(edgeHubKey, hub.service);
      const refresh = async (type?: EdgeDeployType) => {
        current = (await host.deployService.current()).flows;
        const results = await hub.deploy(type);
        for (const r of results) {
          if (!r.ack.ok) host.logger.warn(`edge ${r.edgeId} refused revision ${r.ack.rev}: ${r.ack.error ?? ''}`);
        }
      };
      const off = host.deployService.onDeploy((event) => {
        // "Restart flows" in the editor restarts the edges' flows too; a rollback swaps every node.
        if (event.type === 'reload') {
          hub.restartAll();
          return;
        }
        const type: EdgeDeployType = event.type === 'rollback' ? 'full' : event.type;
        refresh(type).catch((err: unknown) => host.logger.error(`edge deploy failed: ${(err as Error).message}`));
      });
      void refresh();
      host.api.use(
        edgeRoutes({
          auth: host.auth,
          store,
          hub,
          audit: host.audit,
          gatewayPosts,
          devicePostStats: (id) => devicePosts.stats(id),
          packageDir: options.packageDir ?? DEFAULT_PACKAGE_DIR,
        }),
      );
      return {
        close() {
          off();
          hub.close();
        },
      };
    },
  };
}
