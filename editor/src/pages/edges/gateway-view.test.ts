import { describe, expect, it } from 'vitest';
import type { EdgeInfo } from '@gridflow/runtime/contract';
import { devicePostWarning, devicePostsText, gatewayError, gatewayRef, gatewayText } from './gateway-view.js';

const edge = (devicePosts?: EdgeInfo['devicePosts']): EdgeInfo => ({
  id: 'e1',
  name: 'press-1',
  group: null,
  online: true,
  revoked: false,
  enrolledAt: '2026-01-01T00:00:00Z',
  lastSeen: null,
  health: null,
  runningRev: null,
  targetRev: null,
  deployError: null,
  ...(devicePosts ? { devicePosts } : {}),
});

describe('gateway view', () => {
  it('reads and writes productKey/deviceKey', () => {
    expect(gatewayRef('gwPK/gw1')).toEqual({ productKey: 'gwPK', deviceKey: 'gw1' });
    expect(gatewayRef('gwPK')).toEqual({ productKey: 'gwPK', deviceKey: '' });
    expect(gatewayText({ productKey: 'gwPK', deviceKey: 'gw1' })).toBe('gwPK/gw1');
    expect(gatewayText(null)).toBe('');
  });

  it('takes the gateway message from the server or from either half', () => {
    expect(gatewayError({ gateway: 'not a gateway' })).toBe('not a gateway');
    expect(gatewayError({ 'gateway.deviceKey': 'required' })).toBe('required');
    expect(gatewayError({ name: 'x' })).toBeUndefined();
  });

  it('counts device posts and warns with the last refusal', () => {
    expect(devicePostsText(edge())).toBe('—');
    expect(devicePostsText(edge({ accepted: 0, rejected: 0, lastRejection: null }))).toBe('no device posts');
    expect(devicePostsText(edge({ accepted: 1204, rejected: 3, lastRejection: null }))).toBe(
      '1,204 accepted, 3 refused',
    );
    expect(devicePostWarning(edge({ accepted: 1, rejected: 0, lastRejection: null }))).toBeUndefined();
    const now = Date.parse('2026-01-01T00:01:00Z');
    const lastRejection = { time: '2026-01-01T00:00:30Z', device: 'mPK/m9', message: 'not a sub-device' };
    expect(devicePostWarning(edge({ accepted: 1, rejected: 1, lastRejection }), now)).toBe(
      'last refused (mPK/m9, 30 s ago): not a sub-device',
    );
  });
});
