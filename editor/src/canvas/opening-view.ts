import type { Viewport } from '@xyflow/react';
import { boundsOf, type Rect } from '../model/index.js';

/** Below this zoom a whole-flow view is unreadable and mounts every node: open at the top left instead. */
export const MIN_OVERVIEW_ZOOM = 0.5;
const PADDING = 0.1;

/**
 * Where a tab opens: the whole flow when it fits at a readable zoom (null: let fitView do it),
 * else its top-left corner at zoom 1, as Node-RED opens a big flow.
 */
export function openingViewport(rects: Rect[], width: number, height: number): Viewport | null {
  const b = boundsOf(rects);
  if (!b || width <= 0 || height <= 0) return null;
  const zoom = Math.min(width / (b.w * (1 + 2 * PADDING)), height / (b.h * (1 + 2 * PADDING)));
  if (zoom >= MIN_OVERVIEW_ZOOM) return null;
  return { x: -b.x + 40, y: -b.y + 40, zoom: 1 };
}
