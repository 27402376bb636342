import { z } from 'zod';
import { defineNode, type Done, type Msg, type NodeContext } from '@gridflow/runtime';
import { keyedSetup } from './keyed-node.js';
import { compileAccessor, toNumber } from './message-access.js';
import { createEwma, createRollingWindow, zScore } from './rolling.js';
import { keyFields, valueFields, whole } from './stream-config.js';

/** Z-score limits for the named sensitivities: higher sensitivity flags smaller deviations. */
export const SENSITIVITY = { low: 4, medium: 3, high: 2 } as const;

const anomalyConfig = z.object({
  name: z.string().default(''),
  ...valueFields,
  /** Rolling z-score over the last `window` values, or against an exponentially weighted baseline. */
  method: z.enum(['zscore', 'ewma']).default('zscore'),
  window: whole(30, 2),
  alpha: z.preprocess(
    (v) => (v === '' || v == null ? 0.1 : typeof v === 'string' ? Number(v) : v),
    z.number().gt(0).lt(1),
  ),
  sensitivity: z.enum(['low', 'medium', 'high', 'custom']).default('medium'),
  /** The z-score limit for `custom` sensitivity. */
  threshold: z.preprocess(
    (v) => (v === '' || v == null ? 3 : typeof v === 'string' ? Number(v) : v),
    z.number().positive(),
  ),
  /** Values a key needs before it is scored. */
  minSamples: whole(10, 2),
  /** Anomalies to the second output, or every message on the first with its flag. */
  output: z.enum(['split', 'flag']).default('split'),
  ...keyFields,
});

type AnomalyConfig = z.infer<typeof anomalyConfig>;

/** What `msg.anomaly` holds. */
export interface AnomalyInfo {
  key: string;
  anomaly: boolean;
  /** Deviation from the baseline in standard deviations; null while warming up. */
  score: number | null;
  method: 'zscore' | 'ewma';
  mean: number;
  std: number;
  threshold: number;
}

interface Detector {
  /** Scores x against the baseline before it, then adds it to the baseline. */
  next(x: number): { score: number | null; mean: number; std: number };
}

function detectorFactory(c: AnomalyConfig): () => Detector {
  if (c.method === 'zscore') {
    return () => {
      const w = createRollingWindow(c.window);
      return {
        next(x) {
          const mean = w.mean();
          const std = w.std();
          const score = w.count >= Math.min(c.minSamples, c.window) ? zScore(x, mean, std) : null;
          w.push(x);
          return { score, mean, std };
        },
      };
    };
  }
  return () => {
    const e = createEwma(c.alpha);
    return {
      next(x) {
        const mean = e.mean;
        const std = Math.sqrt(e.variance);
        const score = e.count >= c.minSamples ? zScore(x, mean, std) : null;
        e.update(x);
        return { score, mean, std };
      },
    };
  };
}

function createAnomaly(ctx: NodeContext, c: AnomalyConfig) {
  const valueOf = compileAccessor(ctx, c.property, c.propertyType);
  const threshold = c.sensitivity === 'custom' ? c.threshold : SENSITIVITY[c.sensitivity];
  const { keyOf, keys } = keyedSetup<Detector>(ctx, c);
  const init = detectorFactory(c);
  return {
    input(msg: Msg, send: (m: (Msg | null)[] | Msg) => void, done: Done) {
      const raw = valueOf(msg);
      const x = toNumber(raw);
      const key = keyOf(msg);
      if (!Number.isFinite(x)) {
        done(new Error(`anomaly ${ctx.id}: value of key "${key}" is not a number (${String(raw)})`));
        return;
      }
      const r = keys.use(key, init).next(x);
      const anomaly = r.score !== null && r.score > threshold;
      const info: AnomalyInfo = { key, anomaly, score: r.score, method: c.method, mean: r.mean, std: r.std, threshold };
      msg['anomaly'] = info;
      send(anomaly && c.output === 'split' ? [null, msg] : msg);
      done();
    },
  };
}

export const anomalyNode = defineNode({
  type: 'anomaly',
  version: 1,
  category: 'stream',
  inputs: 1,
  outputs: 2,
  outputLabels: ['normal values', 'anomalies'],
  label: 'anomaly',
  paletteLabel: 'anomaly',
  icon: 'font-awesome/fa-bolt',
  color: '#9fd3c7',
  config: anomalyConfig,
  help: `Detects unusual values per key by how many standard deviations they lie from a baseline
of the values before them:

- **z-score**: mean and deviation of the last *window* values;
- **EWMA**: exponentially weighted mean and deviation with weight *alpha* (reacts to drift, no window).

A value is an anomaly when its score exceeds the *sensitivity*: low 4, medium 3, high 2 standard
deviations, or a *custom* threshold. A key is scored once it has *min samples* values.

**Output**: \`msg.anomaly = {key, anomaly, score, method, mean, std, threshold}\` on every message;
with *split*, anomalies leave on the second output, else everything on the first. Anomalies join
the baseline, so a lasting level shift stops being flagged after a while. Values that are not
numbers are errors. Keys: \`msg.topic\` unless set otherwise, at most *max keys*.`,
  create: (ctx, config) => createAnomaly(ctx, config),
});
