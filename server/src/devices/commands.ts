import { DeviceCommandError, type DeviceReply } from '@gridflow/nodes/device';
import { commandMethod, commandTopic } from './enos-topics.js';

/**
 * Commands down to devices (service invoke, measure point set) and the wait for their replies,
 * matched by message id on `{topic}_reply`.
 */
export interface CommandSender {
  /** Publishes the command; with `awaitReply` resolves with the device's reply or rejects on timeout. */
  send(o: {
    productKey: string;
    deviceKey: string;
    command: string;
    params: unknown;
    timeoutMs: number;
    awaitReply: boolean;
  }): Promise<DeviceReply>;
  /** A reply arrived; true when a caller was waiting for it. */
  settle(productKey: string, deviceKey: string, reply: DeviceReply): boolean;
  /** Fails every waiting command (broker stopping, device dropped). */
  failAll(reason: string, productKey?: string, deviceKey?: string): void;
  readonly pending: number;
}

interface Pending {
  productKey: string;
  deviceKey: string;
  resolve(reply: DeviceReply): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export function createCommandSender(publish: (topic: string, payload: Buffer) => void): CommandSender {
  const pending = new Map<string, Pending>();
  let nextId = 1;

  return {
    send({ productKey, deviceKey, command, params, timeoutMs, awaitReply }) {
      const id = String(nextId++);
      const payload = Buffer.from(JSON.stringify({ id, version: '1.0', params, method: commandMethod(command) }));
      const topic = commandTopic(productKey, deviceKey, command);
      if (!awaitReply) {
        publish(topic, payload);
        return Promise.resolve({ id, code: 200, data: null, message: 'sent' });
      }
      return new Promise<DeviceReply>((resolve, reject) => {
        const key = `${productKey}/${deviceKey}/${id}`;
        const timer = setTimeout(() => {
          pending.delete(key);
          reject(new DeviceCommandError('timeout', `device ${productKey}/${deviceKey} did not reply to ${command} within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(key, { productKey, deviceKey, resolve, reject, timer });
        publish(topic, payload);
      });
    },
    settle(productKey, deviceKey, reply) {
      const key = `${productKey}/${deviceKey}/${reply.id}`;
      const p = pending.get(key);
      if (!p) return false;
      pending.delete(key);
      clearTimeout(p.timer);
      p.resolve(reply);
      return true;
    },
    failAll(reason, productKey, deviceKey) {
      for (const [key, p] of pending) {
        if (productKey !== undefined && (p.productKey !== productKey || p.deviceKey !== deviceKey)) continue;
        pending.delete(key);
        clearTimeout(p.timer);
        p.reject(new DeviceCommandError('offline', reason));
      }
    },
    get pending() {
      return pending.size;
    },
  };
}
