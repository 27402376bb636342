import type { DataSpec, MeasurePoint, PrimitiveSpec, ThingModel } from '@gridflow/runtime/contract';

/**
 * Plausible measure point values for a simulated device, valid against its thing model:
 * analog points wander within their range (a bounded random walk, not white noise), pulse
 * counters only grow, digital points change now and then, and every other type gets a valid value.
 */
export interface PointGenerator {
  /** The next values of every point the model defines. */
  next(): Record<string, unknown>;
  /**
   * The same as `JSON.stringify(next())`, built as text: serialising each message was the
   * largest cost of a simulated fleet after the socket writes, and a fleet that spends its CPU
   * there leaves less for the broker it is measuring on the same machine.
   */
  nextJson(): string;
}

/** A point's next value, and the same as JSON text. */
interface Step {
  value(): unknown;
  json(): string;
}

const jsonStep = (value: () => unknown): Step => ({ value, json: () => JSON.stringify(value()) });

/**
 * JSON text of `units / 1000` for an integer `units`, as JSON.stringify writes it: integer
 * formatting is much cheaper than the shortest round-trip formatting of a fraction.
 */
export function thousandthsJson(units: number): string {
  if (!Number.isSafeInteger(units) || Math.abs(units) >= 1e15) return JSON.stringify(units / 1000);
  const abs = units < 0 ? -units : units;
  const whole = Math.floor(abs / 1000);
  const frac = abs - whole * 1000;
  let text = String(whole);
  if (frac !== 0) {
    const digits = frac < 10 ? `00${frac}` : frac < 100 ? `0${frac}` : String(frac);
    text += `.${frac % 100 === 0 ? digits.slice(0, 1) : frac % 10 === 0 ? digits.slice(0, 2) : digits}`;
  }
  return units < 0 ? `-${text}` : text;
}

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
      // Values are whole units (int) or thousandths, kept as an integer count of them.
      const scale = spec.type === 'int' ? 1 : 1000;
      const numeric = (units: () => number): Step =>
        scale === 1 ? { value: units, json: () => String(units()) } : { value: () => units() / scale, json: () => thousandthsJson(units()) };
      if (point === 'PI') {
        // A counter: grows by a small amount each time, restarting at min past max.
        const [min, max] = bounds(spec, [0, 1_000_000_000]);
        let v = min + random() * Math.min(1000, max - min);
        return numeric(() => {
          v += random() * 5;
          if (v > max) v = min;
          return Math.round(v * scale);
        });
      }
      const [min, max] = bounds(spec, scale === 1 ? [0, 1000] : [0, 100]);
      const span = max - min;
      let v = min + span * (0.3 + 0.4 * random());
      return numeric(() => {
        v += (random() - 0.5) * span * 0.02;
        v = Math.min(max, Math.max(min, v));
        return Math.round(v * scale);
      });
    }
    case 'bool': {
      let v = random() < 0.5;
      const value = () => (random() < 0.05 ? (v = !v) : v);
      return { value, json: () => (value() ? 'true' : 'false') };
    }
    case 'enum': {
      const values = spec.values.map((e) => e.value);
      let v = values[Math.floor(random() * values.length)] as number;
      const value = () => (random() < 0.05 ? (v = values[Math.floor(random() * values.length)] as number) : v);
      return { value, json: () => JSON.stringify(value()) };
    }
    case 'string': {
      const max = spec.maxLength;
      return jsonStep(() => `s${Math.floor(random() * 1000)}`.slice(0, max));
    }
    case 'date':
      return jsonStep(() => Date.now());
  }
}

function step(spec: DataSpec, point: MeasurePoint['pointType'], random: () => number): Step {
  if (spec.type === 'struct') {
    const fields = spec.fields.map((f) => [f.identifier, primitiveStep(f.spec, 'Generic', random)] as const);
    return jsonStep(() => Object.fromEntries(fields.map(([id, s]) => [id, s.value()])));
  }
  if (spec.type === 'array') {
    const item = step(spec.items, 'Generic', random);
    const n = Math.min(3, spec.maxItems);
    return jsonStep(() => Array.from({ length: n }, item.value));
  }
  return primitiveStep(spec, point, random);
}

export function createPointGenerator(model: ThingModel, seed: number): PointGenerator {
  const random = seededRandom(seed);
  const steps = model.measurePoints.map((p) => [p.identifier, step(p.spec, p.pointType, random)] as const);
  // `{"id":` before the first point, `,"id":` before the others.
  const prefixes = steps.map(([id], i) => `${i === 0 ? '{' : ','}${JSON.stringify(id)}:`);
  return {
    next() {
      const out: Record<string, unknown> = {};
      for (const [id, s] of steps) out[id] = s.value();
      return out;
    },
    nextJson() {
      if (steps.length === 0) return '{}';
      let text = '';
      for (let i = 0; i < steps.length; i++) text += (prefixes[i] as string) + (steps[i] as (typeof steps)[number])[1].json();
      return `${text}}`;
    },
  };
}
