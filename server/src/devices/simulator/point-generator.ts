import type { DataSpec, MeasurePoint, PrimitiveSpec, ThingModel } from '@gridflow/runtime/contract';

/**
 * Plausible measure point values for a simulated device, valid against its thing model:
 * analog points wander within their range (a bounded random walk, not white noise), pulse
 * counters only grow, digital points change now and then, and every other type gets a valid value.
 */
export interface PointGenerator {
  /** The next values of every point the model defines. */
  next(): Record<string, unknown>;
}

type Step = () => unknown;

/** A deterministic generator (mulberry32) so that a seed gives the same device every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function bounds(spec: { min?: number | undefined; max?: number | undefined }, fallback: [number, number]): [number, number] {
  const min = spec.min ?? (spec.max !== undefined ? Math.min(fallback[0], spec.max) : fallback[0]);
  const max = spec.max ?? Math.max(min + (fallback[1] - fallback[0]), min);
  return [min, max];
}

function primitiveStep(spec: PrimitiveSpec, point: MeasurePoint['pointType'], random: () => number): Step {
  switch (spec.type) {
    case 'int':
    case 'float':
    case 'double': {
      const isInt = spec.type === 'int';
      const round = (v: number) => (isInt ? Math.round(v) : Math.round(v * 1000) / 1000);
      if (point === 'PI') {
        // A counter: grows by a small amount each time, restarting at min past max.
        const [min, max] = bounds(spec, [0, 1_000_000_000]);
        let v = min + random() * Math.min(1000, max - min);
        return () => {
          v += random() * 5;
          if (v > max) v = min;
          return round(v);
        };
      }
      const [min, max] = bounds(spec, isInt ? [0, 1000] : [0, 100]);
      const span = max - min;
      let v = min + span * (0.3 + 0.4 * random());
      return () => {
        v += (random() - 0.5) * span * 0.02;
        v = Math.min(max, Math.max(min, v));
        return round(v);
      };
    }
    case 'bool': {
      let v = random() < 0.5;
      return () => (random() < 0.05 ? (v = !v) : v);
    }
    case 'enum': {
      const values = spec.values.map((e) => e.value);
      let v = values[Math.floor(random() * values.length)] as number;
      return () => (random() < 0.05 ? (v = values[Math.floor(random() * values.length)] as number) : v);
    }
    case 'string': {
      const max = spec.maxLength;
      return () => `s${Math.floor(random() * 1000)}`.slice(0, max);
    }
    case 'date':
      return () => Date.now();
  }
}

function step(spec: DataSpec, point: MeasurePoint['pointType'], random: () => number): Step {
  if (spec.type === 'struct') {
    const fields = spec.fields.map((f) => [f.identifier, primitiveStep(f.spec, 'Generic', random)] as const);
    return () => Object.fromEntries(fields.map(([id, s]) => [id, s()]));
  }
  if (spec.type === 'array') {
    const item = step(spec.items, 'Generic', random);
    const n = Math.min(3, spec.maxItems);
    return () => Array.from({ length: n }, item);
  }
  return primitiveStep(spec, point, random);
}

export function createPointGenerator(model: ThingModel, seed: number): PointGenerator {
  const random = seededRandom(seed);
  const steps = model.measurePoints.map((p) => [p.identifier, step(p.spec, p.pointType, random)] as const);
  return {
    next() {
      const out: Record<string, unknown> = {};
      for (const [id, s] of steps) out[id] = s();
      return out;
    },
  };
}
