import { describe, expect, it } from 'vitest';
import { openingViewport } from './opening-view.js';

describe('openingViewport', () => {
  it('leaves a flow that fits at a readable zoom to fitView', () => {
    expect(openingViewport([{ x: 100, y: 100, w: 120, h: 30 }, { x: 600, y: 400, w: 120, h: 30 }], 1000, 800)).toBeNull();
  });

  it('opens a big flow at its top-left corner at zoom 1', () => {
    const rects = Array.from({ length: 2000 }, (_, i) => ({ x: 50 + (i % 40) * 190, y: 30 + Math.floor(i / 40) * 70, w: 150, h: 30 }));
    expect(openingViewport(rects, 1000, 800)).toEqual({ x: -10, y: 10, zoom: 1 });
  });

  it('has no opinion on an empty tab or an unmeasured canvas', () => {
    expect(openingViewport([], 1000, 800)).toBeNull();
    expect(openingViewport([{ x: 0, y: 0, w: 10, h: 10 }], 0, 0)).toBeNull();
  });
});
