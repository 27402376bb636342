import { canvasMeasure } from '../canvas/measure.js';
import {
  inputsOf,
  nodeLabel,
  nodeSize,
  outputsOf,
  topLeft,
  type Catalog,
  type FlowDoc,
  type FlowNode,
  type MeasureText,
  type Rect,
} from '../model/index.js';

let measure: MeasureText | undefined;

/** The label measurer shared by the canvas and the layout helpers (one canvas, one cache). */
export function sharedMeasure(): MeasureText {
  measure ??= canvasMeasure();
  return measure;
}

/** The rectangle a node is drawn in, from its Node-RED centre and its computed size. */
export function rectOfNode(doc: FlowDoc, catalog: Catalog): (n: FlowNode) => Rect | undefined {
  const m = sharedMeasure();
  return (n) => {
    if (n.type === 'group') {
      return { x: n.x ?? 0, y: n.y ?? 0, w: Number(n['w'] ?? 0), h: Number(n['h'] ?? 0) };
    }
    if (typeof n.x !== 'number' || typeof n.y !== 'number') return undefined;
    const info = catalog.get(n.type);
    const size = nodeSize(nodeLabel(n, info, doc), inputsOf(n, info, doc), outputsOf(n, info, doc), m);
    const tl = topLeft(n, size);
    return { x: tl.x, y: tl.y, w: size.width, h: size.height };
  };
}
