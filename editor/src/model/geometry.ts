import type { FlowNode } from './types.js';

/** Node-RED's drawing constants, so imported flows keep their layout. */
export const NODE_MIN_WIDTH = 100;
export const NODE_HEIGHT = 30;
export const PORT_SIZE = 10;
export const GRID = 20;

/** Width of a label in pixels; the browser passes a canvas-measured one, tests an estimate. */
export type MeasureText = (text: string) => number;
export const estimateTextWidth: MeasureText = (text) => text.length * 7;

export interface NodeSize {
  width: number;
  height: number;
}

/** Node size as Node-RED computes it: width from the label, height from the number of outputs. */
export function nodeSize(label: string, inputs: number, outputs: number, measure: MeasureText = estimateTextWidth): NodeSize {
  const width = Math.max(NODE_MIN_WIDTH, GRID * Math.ceil((measure(label) + 50 + (inputs > 0 ? 7 : 0)) / GRID));
  const height = Math.max(NODE_HEIGHT, outputs * 15);
  return { width, height };
}

/** Vertical centre of output port `i` of `count`, relative to the node's top. */
export function outputPortY(i: number, count: number, height: number): number {
  return height / 2 - ((count - 1) / 2) * 13 + 13 * i;
}

/** Node-RED stores the centre of a node in x/y; React Flow wants the top-left corner. */
export function topLeft(node: FlowNode, size: NodeSize): { x: number; y: number } {
  return { x: (node.x ?? 0) - size.width / 2, y: (node.y ?? 0) - size.height / 2 };
}

export function centreFromTopLeft(pos: { x: number; y: number }, size: NodeSize): { x: number; y: number } {
  return { x: Math.round(pos.x + size.width / 2), y: Math.round(pos.y + size.height / 2) };
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export function boundsOf(rects: Rect[], padding = 0): Rect | undefined {
  if (rects.length === 0) return undefined;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const r of rects) {
    minX = Math.min(minX, r.x);
    minY = Math.min(minY, r.y);
    maxX = Math.max(maxX, r.x + r.w);
    maxY = Math.max(maxY, r.y + r.h);
  }
  return { x: minX - padding, y: minY - padding, w: maxX - minX + 2 * padding, h: maxY - minY + 2 * padding };
}
