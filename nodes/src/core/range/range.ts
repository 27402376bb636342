import { z } from 'zod';
import { defineNode } from '@gridflow/runtime';
import { nrUtil } from '../../shared/node-red-util.js';
import { boolish, numberish, stringish } from '../../shared/typed-value.js';

const configSchema = z.object({
  name: stringish(),
  minin: numberish(),
  maxin: numberish(),
  minout: numberish(),
  maxout: numberish(),
  /** scale: map linearly; clamp: limit the input to its range first; roll: wrap it; drop: discard values outside. */
  action: stringish('scale').pipe(z.enum(['scale', 'clamp', 'roll', 'drop'])),
  round: boolish(false),
  property: stringish('payload'),
});

export const rangeNode = defineNode({
  type: 'range',
  category: 'core',
  inputs: 1,
  outputs: 1,
  config: configSchema,
  label: 'range',
  icon: 'range.svg',
  color: '#E2D96E',
  help: [
    'Maps a numeric property from an input range to an output range, linearly.',
    '',
    '**Scale** maps values outside the input range too; **limit** clamps them to it first; **wrap** rolls them into it; **drop** discards the message.',
    '',
    '*Round* gives the nearest integer. A value that is not a number is logged and dropped; a message without the property passes unchanged.',
  ].join('\n'),
  create(ctx, config) {
    let { minin, maxin, minout, maxout } = config;
    if (minin > maxin) [minin, maxin, minout, maxout] = [maxin, minin, maxout, minout];
    if (config.round) {
      maxout = Math.floor(maxout);
      minout = Math.ceil(minout);
    }
    const property = config.property || 'payload';
    return {
      input(msg, send) {
        const value = nrUtil.getMessageProperty(msg, property);
        if (value === undefined) return send(msg);
        let n = Number(value);
        if (isNaN(n)) return ctx.log(`Not a number: ${String(value)}`);
        if (config.action === 'drop' && (n < minin || n > maxin)) return;
        if (config.action === 'clamp') n = Math.min(Math.max(n, minin), maxin);
        if (config.action === 'roll') {
          const divisor = maxin - minin;
          n = (((n - minin) % divisor) + divisor) % divisor + minin;
        }
        let out = ((n - minin) / (maxin - minin)) * (maxout - minout) + minout;
        if (config.round) out = Math.round(out);
        nrUtil.setMessageProperty(msg, property, out);
        send(msg);
      },
    };
  },
});
