import { replyCodes } from '@gridflow/runtime/contract';
import { parseEnvelope, replyPayload } from './enos-topics.js';
import { identityFor, topicInfo, type DeviceSession } from './sessions.js';
import type { Request, UpstreamContext } from './upstream-context.js';
import { handleSubLogin, handleSubLoginBatch, handleSubLogout, handleTopoAdd, handleTopoDelete, handleTopoGet } from './upstream-gateway.js';
import {
  handleAttributeDelete,
  handleAttributeQuery,
  handleAttributeUpdate,
  handleCommandReply,
  handlePoints,
  handlePointsBatch,
  handleEvent,
} from './upstream-tsl.js';

/** Sends replies to devices. */
export interface Publisher {
  /** Could the session receive a reply at all (has it subscribed to anything)? */
  wants(session: DeviceSession): boolean;
  publish(session: DeviceSession, topic: string, payload: Buffer, qos: 0 | 1): void;
}

/**
 * Handles one publish of a device: finds the method from the topic, checks the envelope, runs
 * the handler and replies on `{topic}_reply`. A bad message gets an error reply and never
 * throws: one device's garbage must not disturb the broker or other devices.
 */
export function createUpstream(ctx: UpstreamContext, publisher: Publisher) {
  return function handle(session: DeviceSession, topic: string, payload: Buffer, qos: 0 | 1 | 2): void {
    ctx.counters.messages++;
    const last = topicInfo(session, topic);
    if (!last) return;
    // Not cached: sub-devices log in and out.
    const found = identityFor(session, last.parsed);
    if (!found) return;
    const who = found;
    const route = last.route;
    if (route.kind === 'ignored') return;
    const replyQos: 0 | 1 = qos === 0 ? 0 : 1;
    const replyTopic = last.replyTopic;
    const env = parseEnvelope(payload);
    if (route.kind === 'command-reply') {
      if (!env.ok) {
        ctx.counters.invalidMessages++;
        return;
      }
      const req: Request = { session, who, topic, qos, envelope: env.envelope, reply: () => undefined };
      handleCommandReply(ctx, req, route.command);
      return;
    }
    const id = env.ok ? env.envelope.id : undefined;
    const reply = (code: number, data?: unknown, message?: string) => {
      if (code !== replyCodes.ok) ctx.logger.debug('device request refused', { device: who.key, topic, code, message });
      if (publisher.wants(session)) publisher.publish(session, replyTopic, replyPayload(id, code, data, message), replyQos);
    };
    if (!env.ok) {
      ctx.counters.invalidMessages++;
      return reply(replyCodes.badPayload, undefined, env.message);
    }
    if (route.kind === 'unknown') {
      ctx.counters.invalidMessages++;
      return reply(replyCodes.unknownMethod, undefined, `no method for topic ${topic}`);
    }
    const method = env.envelope.method;
    if (method !== undefined && !route.methods.includes(String(method))) {
      ctx.counters.invalidMessages++;
      return reply(replyCodes.methodMismatch, undefined, `method "${String(method)}" does not match topic ${topic} (expected ${route.methods[0] ?? ''})`);
    }
    const req: Request = { session, who, topic, qos, envelope: env.envelope, reply };
    try {
      let pending: Promise<void> | undefined;
      switch (route.kind) {
        case 'points':
          if (route.batch) handlePointsBatch(ctx, req, route.backfill);
          else handlePoints(ctx, req, route.backfill);
          break;
        case 'event':
          handleEvent(ctx, req, route.event);
          break;
        case 'attribute-update':
          pending = handleAttributeUpdate(ctx, req);
          break;
        case 'attribute-query':
          pending = handleAttributeQuery(ctx, req);
          break;
        case 'attribute-delete':
          pending = handleAttributeDelete(ctx, req);
          break;
        case 'topo-add':
          pending = handleTopoAdd(ctx, req);
          break;
        case 'topo-delete':
          pending = handleTopoDelete(ctx, req);
          break;
        case 'topo-get':
          pending = handleTopoGet(ctx, req);
          break;
        case 'sub-login':
          pending = handleSubLogin(ctx, req);
          break;
        case 'sub-login-batch':
          pending = handleSubLoginBatch(ctx, req);
          break;
        case 'sub-logout':
          handleSubLogout(ctx, req);
          break;
      }
      pending?.catch((err: unknown) => failed(err));
    } catch (err) {
      failed(err);
    }

    function failed(err: unknown): void {
      const message = err instanceof Error ? err.message : String(err);
      ctx.logger.error('device request failed', { device: who.key, topic, error: message });
      reply(replyCodes.internal, undefined, `server error: ${message}`);
    }
  };
}
