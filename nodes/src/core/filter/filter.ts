import { z } from 'zod';
import { cloneValue, defineNode } from '@gridflow/runtime';
import { nrUtil } from '../../shared/node-red-util.js';
import { getMsgProperty, hasOwn, msgPropertyPath } from '../../shared/sequence.js';
import { boolish } from '../../shared/typed-value.js';

const asText = (v: unknown) => (typeof v === 'number' ? String(v) : v);

const config = z.object({
  name: z.string().default(''),
  /** rbe/rbei: block unless changed (rbei: ignore the first value); deadband/narrowband (Eq: inclusive). */
  func: z.enum(['rbe', 'rbei', 'deadband', 'deadbandEq', 'narrowband', 'narrowbandEq']).default('rbe'),
  /** Band gap: a number, or a percentage of the previous value ("5%"). */
  gap: z.preprocess(
    asText,
    z
      .string()
      .regex(/^(\d*[.]*\d*|)(%|)$/, 'must be a number or a percentage, e.g. 10 or 5%')
      .default(''),
  ),
  /** Narrowband start value (blank: the first value). */
  start: z.preprocess(asText, z.string().default('')),
  /** Compare with the last value sent ('out') or the last value received ('in'). */
  inout: z.enum(['out', 'in']).default('out'),
  /** Keep a separate previous value per topic. */
  septopics: boolish(true),
  property: msgPropertyPath('payload'),
  topi: msgPropertyPath('topic'),
});

/** Node-RED's "filter" node (type rbe): report by exception, deadband and narrowband. */
export const filterNode = defineNode({
  type: 'rbe',
  category: 'core',
  inputs: 1,
  outputs: 1,
  config,
  label: 'filter',
  paletteLabel: 'filter',
  icon: 'rbe.png',
  color: '#E2D96E',
  help: `Passes a message only when its value changes (report by exception), or when it moves outside
(deadband) or stays inside (narrowband) a band around the previous value.

- **rbe**: block until \`msg.payload\` (or the chosen property) differs from the previous value; *rbei*
  also ignores the first value.
- **deadband**: block unless the change is greater (or greater-or-equal) than the gap.
- **narrowband**: block if the change is greater (or greater-or-equal) than the gap, e.g. to drop outliers.

The gap may be a percentage of the previous value. Compare against the last value sent or the last
value received. Each \`msg.topic\` (or another property) is tracked separately unless turned off;
\`msg.reset\` clears the stored value for its topic (or all of them).`,
  create(ctx, c) {
    const gapText = c.gap || '0';
    const percent = gapText.endsWith('%');
    const g = parseFloat(gapText);
    const previous = new Map<string, unknown>();
    return {
      input(msg, send) {
        let topic: unknown;
        try {
          topic = getMsgProperty(msg, c.topi);
        } catch {
          // a path through a missing parent: no topic, as in Node-RED
        }
        if (hasOwn(msg, 'reset')) {
          if (c.septopics && typeof topic === 'string' && topic !== '') previous.delete(topic);
          else previous.clear();
        }
        let value: unknown;
        try {
          value = getMsgProperty(msg, c.property);
        } catch {
          // as above: no value, nothing to filter
        }
        if (value === undefined) return;
        const t = c.septopics && topic ? String(topic) : '_no_topic';

        if (c.func === 'rbe' || c.func === 'rbei') {
          const doSend = c.func !== 'rbei' || previous.has(t);
          if (typeof value === 'object') {
            if (typeof previous.get(t) !== 'object') previous.set(t, {});
            if (!nrUtil.compareObjects(value, previous.get(t))) {
              previous.set(t, cloneValue(value));
              if (doSend) send(msg);
            }
          } else if (value !== previous.get(t)) {
            previous.set(t, value);
            if (doSend) send(msg);
          }
          return;
        }

        const n = parseFloat(String(value));
        if (Number.isNaN(n)) {
          ctx.warn('no number found in payload');
          return;
        }
        const narrow = c.func === 'narrowband' || c.func === 'narrowbandEq';
        let prev = previous.get(t) as number | undefined;
        if (prev === undefined && narrow) prev = c.start === '' ? n : parseFloat(c.start);
        const gap = percent ? Math.abs(((prev ?? NaN) * g) / 100) || 0 : g;
        if (prev === undefined) prev = n - gap - 1;
        const diff = Math.abs(n - prev);
        let pass = false;
        if (diff === gap) pass = c.func === 'deadbandEq' || c.func === 'narrowband';
        else if (diff > gap) pass = c.func === 'deadband' || c.func === 'deadbandEq';
        else if (diff < gap) pass = narrow;
        previous.set(t, prev);
        if (pass) {
          if (c.inout === 'out') previous.set(t, n);
          send(msg);
        }
        if (c.inout === 'in') previous.set(t, n);
      },
    };
  },
});
