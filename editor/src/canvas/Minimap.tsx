import { useReactFlow, useStore as useFlowStore } from '@xyflow/react';
import { useEffect, useMemo, useRef, type PointerEvent } from 'react';
import { boundsOf, type Rect } from '../model/index.js';
import type { FlowRFNode } from './projection.js';

const WIDTH = 200;
const HEIGHT = 150;

/**
 * The minimap, drawn on one <canvas>. React Flow's MiniMap mounts a component (and a store
 * subscription) per node, which on a 2,000-node flow costs more than the canvas itself on every
 * pan and drag frame; this redraws a few thousand rectangles in about a millisecond instead.
 * Click or drag on it to move the view there.
 */
export function Minimap({ nodes }: { nodes: FlowRFNode[] }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [tx, ty, zoom] = useFlowStore((s) => s.transform);
  const width = useFlowStore((s) => s.width);
  const height = useFlowStore((s) => s.height);
  const flow = useReactFlow();
  // The view in flow coordinates, and the area the minimap shows (the nodes and the view).
  const view: Rect = { x: -tx / zoom, y: -ty / zoom, w: width / zoom, h: height / zoom };
  const drawn = useMemo(() => nodes.filter((n) => n.type !== 'group'), [nodes]);
  const nodeBounds = useMemo(
    () => boundsOf(drawn.map((n) => ({ x: n.position.x, y: n.position.y, w: n.width ?? 0, h: n.height ?? 0 }))),
    [drawn],
  );
  const world = boundsOf(nodeBounds ? [nodeBounds, view] : [view], 20) ?? view;
  const scale = Math.min(WIDTH / world.w, HEIGHT / world.h);
  const ox = (WIDTH - world.w * scale) / 2 - world.x * scale;
  const oy = (HEIGHT - world.h * scale) / 2 - world.y * scale;
  // The nodes are drawn once per change of nodes or scale into a layer; a pan only copies it.
  const layer = useRef<{ canvas: HTMLCanvasElement; key: string; nodes: FlowRFNode[] } | null>(null);

  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const key = `${ox},${oy},${scale}`;
    if (!layer.current || layer.current.key !== key || layer.current.nodes !== drawn) {
      const canvas = layer.current?.canvas ?? document.createElement('canvas');
      canvas.width = WIDTH;
      canvas.height = HEIGHT;
      const lctx = canvas.getContext('2d');
      if (!lctx) return;
      lctx.clearRect(0, 0, WIDTH, HEIGHT);
      for (const n of drawn) {
        lctx.fillStyle = n.type === 'flow' ? (n.data.info?.color ?? '#ddd') : '#999';
        lctx.fillRect(ox + n.position.x * scale, oy + n.position.y * scale, Math.max(1, (n.width ?? 0) * scale), Math.max(1, (n.height ?? 0) * scale));
      }
      layer.current = { canvas, key, nodes: drawn };
    }
    ctx.clearRect(0, 0, WIDTH, HEIGHT);
    ctx.drawImage(layer.current.canvas, 0, 0);
    ctx.strokeStyle = '#ff7f0e';
    ctx.lineWidth = 1.5;
    ctx.strokeRect(ox + view.x * scale, oy + view.y * scale, view.w * scale, view.h * scale);
  });

  const moveTo = (e: PointerEvent<HTMLCanvasElement>): void => {
    const box = e.currentTarget.getBoundingClientRect();
    const fx = (e.clientX - box.left - ox) / scale;
    const fy = (e.clientY - box.top - oy) / scale;
    void flow.setViewport({ x: width / 2 - fx * zoom, y: height / 2 - fy * zoom, zoom });
  };
  return (
    <canvas
      ref={ref}
      className="gf-minimap"
      data-testid="minimap"
      data-node-count={drawn.length}
      width={WIDTH}
      height={HEIGHT}
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        moveTo(e);
      }}
      onPointerMove={(e) => {
        if (e.buttons === 1) moveTo(e);
      }}
    />
  );
}
