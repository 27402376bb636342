import type { DeviceRegistry } from './registry.js';
import type { LiveDeviceUpdates } from './live-socket.js';

/**
 * The registry, telling live device pages what it changed that no device message says: devices
 * created (one by one or from CSV), disabled or enabled, deleted. Going offline when disabled
 * comes from the broker as a lifecycle message.
 */
export function withLiveNotes(registry: DeviceRegistry, live: Pick<LiveDeviceUpdates, 'note'>): DeviceRegistry {
  return {
    ...registry,
    async createDevice(req) {
      const d = await registry.createDevice(req);
      live.note(d, { created: true, state: d.state, disabled: d.disabled });
      return d;
    },
    async importDevices(csv, productKey) {
      const created = await registry.importDevices(csv, productKey);
      for (const d of created) live.note(d, { created: true, state: d.state, disabled: d.disabled });
      return created;
    },
    async updateDevice(productKey, deviceKey, patch) {
      const d = await registry.updateDevice(productKey, deviceKey, patch);
      if (patch.disabled !== undefined) live.note(d, { disabled: d.disabled });
      return d;
    },
    async deleteDevice(productKey, deviceKey) {
      await registry.deleteDevice(productKey, deviceKey);
      live.note({ productKey, deviceKey }, { deleted: true });
    },
  };
}
