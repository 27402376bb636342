import type { MeasureText } from '../model/index.js';

/** Measures label widths with a canvas in the node font, cached per text. */
export function canvasMeasure(font = '14px Helvetica, Arial, sans-serif'): MeasureText {
  const cache = new Map<string, number>();
  const ctx = typeof document !== 'undefined' ? document.createElement('canvas').getContext('2d') : null;
  if (ctx) ctx.font = font;
  return (text) => {
    let w = cache.get(text);
    if (w === undefined) {
      w = ctx ? ctx.measureText(text).width : text.length * 7;
      cache.set(text, w);
    }
    return w;
  };
}
