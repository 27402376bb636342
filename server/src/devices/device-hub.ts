import { DeviceCommandError, type DeviceHub, type DeviceRef } from '@gridflow/nodes/device';
import { ApiFailure } from '../errors.js';
import type { DeviceBroker } from './broker.js';
import type { MessageBus } from './message-bus.js';
import type { ModelCache } from './model-cache.js';
import type { DeviceRegistry } from './registry.js';
import type { DeviceStore } from './store.js';

const DEFAULT_TIMEOUT_MS = 10_000;

/** The server's DeviceHub: device messages from the bus, commands through the broker, attributes through the registry. */
export function createDeviceHub(deps: { bus: MessageBus; broker: DeviceBroker; store: DeviceStore; models: ModelCache; registry: DeviceRegistry }): DeviceHub {
  const { bus, broker, store, models, registry } = deps;

  /** The connected device and its model, or a DeviceCommandError saying why not. */
  async function target(ref: DeviceRef) {
    const key = `${ref.productKey}/${ref.deviceKey}`;
    const who = broker.online(ref.productKey, ref.deviceKey);
    if (!who) {
      const device = await store.getDevice(ref.productKey, ref.deviceKey);
      if (!device) throw new DeviceCommandError('not-found', `device ${key} is not registered`);
      if (device.disabled) throw new DeviceCommandError('disabled', `device ${key} is disabled`);
      throw new DeviceCommandError('offline', `device ${key} is offline`);
    }
    const model = models.get(who.modelId) ?? (await models.load(who.modelId));
    if (!model) throw new DeviceCommandError('not-found', `thing model "${who.modelId}" of device ${key} does not exist`);
    return { who, model, key };
  }

  return {
    subscribe: (filter, listener) => bus.subscribe(filter, listener),
    async invokeService(ref, service, params, options = {}) {
      const { model, key } = await target(ref);
      const def = model.model.services.find((s) => s.identifier === service);
      if (!def) throw new DeviceCommandError('invalid', `service "${service}" is not defined in model "${model.model.id}" of device ${key}`);
      const checked = model.checkServiceInputs(service, structuredClone(params));
      if (!checked.ok) throw new DeviceCommandError('invalid', `device ${key}: ${checked.message}`);
      return broker.commands.send({
        productKey: ref.productKey,
        deviceKey: ref.deviceKey,
        command: service,
        params: checked.values,
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        awaitReply: def.callType === 'sync',
      });
    },
    async setMeasurePoints(ref, points, options = {}) {
      const { model, key } = await target(ref);
      const checked = model.checkPoints(structuredClone(points));
      if (!checked.ok) throw new DeviceCommandError('invalid', `device ${key}: ${checked.message}`);
      if (Object.keys(checked.points).length === 0) throw new DeviceCommandError('invalid', `device ${key}: no measure points to set`);
      return broker.commands.send({
        productKey: ref.productKey,
        deviceKey: ref.deviceKey,
        command: 'measurepoint/set',
        params: checked.points,
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        awaitReply: true,
      });
    },
    async setAttributes(ref, attributes) {
      try {
        const device = await registry.updateDevice(ref.productKey, ref.deviceKey, { attributes });
        return device.attributes;
      } catch (err) {
        if (err instanceof ApiFailure) throw new DeviceCommandError(err.code === 'NOT_FOUND' ? 'not-found' : 'invalid', err.message);
        throw err;
      }
    },
  };
}
