import type { DeviceRef, EdgeInfo } from '@gridflow/runtime/contract';
import type { FieldErrors } from '../shared/form-errors.js';
import { formatAgo, formatNumber } from '../shared/format.js';

/** `productKey/deviceKey` as a device reference (a missing half is left empty for the schema to name). */
export function gatewayRef(text: string): DeviceRef {
  const at = text.indexOf('/');
  return at < 0
    ? { productKey: text, deviceKey: '' }
    : { productKey: text.slice(0, at), deviceKey: text.slice(at + 1) };
}

/** The reverse of gatewayRef; '' for no gateway. */
export function gatewayText(ref: DeviceRef | null | undefined): string {
  return ref ? `${ref.productKey}/${ref.deviceKey}` : '';
}

/** The one message for a gateway input: the server names `gateway`, the schema one of its halves. */
export function gatewayError(errors: FieldErrors, field = 'gateway'): string | undefined {
  return errors[field] ?? errors[`${field}.productKey`] ?? errors[`${field}.deviceKey`];
}

/** "12 accepted, 3 refused" — the edge's device posts since the server started. */
export function devicePostsText(edge: EdgeInfo): string {
  const p = edge.devicePosts;
  if (!p) return '—';
  if (p.accepted === 0 && p.rejected === 0) return 'no device posts';
  return `${formatNumber(p.accepted)} accepted, ${formatNumber(p.rejected)} refused`;
}

/** The last refused device post, why, and when: what to fix (a binding, a sub-device, a model). */
export function devicePostWarning(edge: EdgeInfo, now = Date.now()): string | undefined {
  const last = edge.devicePosts?.lastRejection;
  if (!last) return undefined;
  return `last refused (${last.device}, ${formatAgo(last.time, now)}): ${last.message}`;
}
