import type { DeviceRef } from '@gridflow/runtime/contract';
import type { GatewayPosts } from '../devices/gateway-posts.js';
import type { EdgeHubLogger } from './edge-hub.js';

/**
 * One connection of an edge, as its bound gateway device sees it: the gateway is attached (online,
 * see devices/gateway-presence.ts) from the connection to its end, or while the binding lasts.
 */
export interface EdgeGatewayAttachment {
  /** The binding changed on the Edges page (null: unbound). */
  rebind(gateway: DeviceRef | null): void;
  /** The connection ended (disconnected, revoked, replaced); later calls do nothing. */
  end(reason: string): void;
}

export interface EdgeGatewayPresence {
  connected(edge: { id: string; name: string; gateway: DeviceRef | null }): EdgeGatewayAttachment;
}

export interface EdgeGatewayPresenceOptions {
  /** The device registry's entry point; undefined when the server runs without the devices module. */
  posts(): GatewayPosts | undefined;
  log: EdgeHubLogger;
}

const sameDevice = (a: DeviceRef | null, b: DeviceRef | null) =>
  a === b || (a !== null && b !== null && a.productKey === b.productKey && a.deviceKey === b.deviceKey);

export function createEdgeGatewayPresence(options: EdgeGatewayPresenceOptions): EdgeGatewayPresence {
  return {
    connected(edge) {
      let ended = false;
      /** What this connection attached, and where: detached from the same service it was attached to. */
      let current: { gateway: DeviceRef; posts: GatewayPosts } | null = null;

      const attach = (gateway: DeviceRef | null) => {
        const posts = options.posts();
        if (!gateway || !posts) return;
        current = { gateway, posts };
        posts
          .attach(gateway)
          .catch((err: unknown) =>
            options.log.warn(
              `edge "${edge.name}" (${edge.id}): gateway ${gateway.productKey}/${gateway.deviceKey} not set online: ${(err as Error).message}`,
            ),
          );
      };
      const detach = (reason: string) => {
        if (!current) return;
        current.posts.detach(current.gateway, reason);
        current = null;
      };
      attach(edge.gateway);

      return {
        rebind(gateway) {
          if (ended || sameDevice(current?.gateway ?? null, gateway)) return;
          detach('edge unbound');
          attach(gateway);
        },
        end(reason) {
          if (ended) return;
          ended = true;
          detach(reason);
        },
      };
    },
  };
}
