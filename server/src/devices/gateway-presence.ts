import type { DeviceRef } from '@gridflow/runtime/contract';
import type { DeviceStateCache } from './device-state.js';
import type { MessageBus } from './message-bus.js';
import { deviceKeyOf } from './sessions.js';

/**
 * Online state of gateways that speak without an MQTT session of their own (an edge agent bound
 * to a gateway device), and of the sub-devices they post for. It mirrors what the broker does
 * for an MQTT gateway: online while attached (CONNECT), a sub-device online from its first post
 * (sub-device login), all of them offline when the last attachment ends (disconnect). A device
 * with its own MQTT session belongs to the broker and is never flipped here.
 */
export interface GatewayPresence {
  /** An edge bound to the gateway connected. Counted: several edges may be bound to one gateway. */
  attach(gateway: DeviceRef): void;
  /** When the last attachment goes, the gateway and the devices that came online through it go offline. */
  detach(gateway: DeviceRef, reason: string): void;
  attached(gateway: DeviceRef): boolean;
  /**
   * The attached gateway spoke for `device` (itself or a sub-device, already checked against its
   * topology): both are online from now on. Nothing when the gateway is not attached.
   */
  seen(gateway: DeviceRef, device: DeviceRef): void;
}

export interface GatewayPresenceOptions {
  state: DeviceStateCache;
  bus: MessageBus;
  /** Whether the device has an MQTT session (its own, or through an MQTT gateway): then its state is the broker's. */
  connected(productKey: string, deviceKey: string): boolean;
}

interface Attachment {
  gateway: DeviceRef;
  count: number;
  /** Devices the gateway posted for while attached, by `pk/dk`. */
  devices: Map<string, DeviceRef>;
}

export function createGatewayPresence(options: GatewayPresenceOptions): GatewayPresence {
  const { state, bus, connected } = options;
  const byGateway = new Map<string, Attachment>();
  /** The attachment a sub-device came online through: a sub-device moved to another gateway follows it. */
  const via = new Map<string, Attachment>();

  // The same two steps as the broker's lifecycle (broker.ts): state cache, then the lifecycle message
  // that device in nodes, recent messages and the device pages' live push read.
  function lifecycle(device: DeviceRef, to: 'online' | 'offline', reason: string, gateway?: DeviceRef): void {
    state.setState(device.productKey, device.deviceKey, to);
    bus.emit({
      kind: 'lifecycle',
      productKey: device.productKey,
      deviceKey: device.deviceKey,
      time: Date.now(),
      state: to,
      reason,
      ...(gateway ? { gateway: { productKey: gateway.productKey, deviceKey: gateway.deviceKey } } : {}),
    });
  }

  function login(device: DeviceRef, reason: string, gateway?: DeviceRef): void {
    // Checked per post: the state lookup first, it is the cheaper one and usually answers.
    if (state.currentState(device.productKey, device.deviceKey) === 'online') return;
    if (connected(device.productKey, device.deviceKey)) return;
    lifecycle(device, 'online', reason, gateway);
  }

  function logout(device: DeviceRef, reason: string, gateway?: DeviceRef): void {
    if (state.currentState(device.productKey, device.deviceKey) !== 'online') return;
    if (connected(device.productKey, device.deviceKey)) return;
    lifecycle(device, 'offline', reason, gateway);
  }

  return {
    attach(gateway) {
      const key = deviceKeyOf(gateway.productKey, gateway.deviceKey);
      const a = byGateway.get(key);
      if (a) a.count++;
      else byGateway.set(key, { gateway, count: 1, devices: new Map() });
    },
    detach(gateway, reason) {
      const key = deviceKeyOf(gateway.productKey, gateway.deviceKey);
      const a = byGateway.get(key);
      if (!a || --a.count > 0) return;
      byGateway.delete(key);
      for (const [subKey, sub] of a.devices) {
        if (via.get(subKey) !== a) continue;
        via.delete(subKey);
        logout(sub, 'gateway disconnected', gateway);
      }
      logout(gateway, reason);
    },
    attached: (gateway) => byGateway.has(deviceKeyOf(gateway.productKey, gateway.deviceKey)),
    seen(gateway, device) {
      const gatewayKey = deviceKeyOf(gateway.productKey, gateway.deviceKey);
      const a = byGateway.get(gatewayKey);
      if (!a) return;
      // Also for a sub-device's post: the gateway's own MQTT session may have ended meanwhile.
      login(gateway, 'edge connected');
      const key = deviceKeyOf(device.productKey, device.deviceKey);
      if (key === gatewayKey) return;
      if (via.get(key) !== a) {
        via.get(key)?.devices.delete(key);
        via.set(key, a);
        a.devices.set(key, { productKey: device.productKey, deviceKey: device.deviceKey });
      }
      login(device, 'sub-device login', gateway);
    },
  };
}
