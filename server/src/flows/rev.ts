import { createHash } from 'node:crypto';
import type { FlowDocument } from '@gridflow/runtime';

/** The revision of a flow document: a content hash, so equal documents have equal revisions. */
export function revOf(flows: FlowDocument): string {
  return createHash('sha256').update(JSON.stringify(flows)).digest('hex').slice(0, 32);
}
