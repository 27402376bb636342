import { Cron } from 'croner';
import { z } from 'zod';
import { boolish, numberish, stringish } from '../../shared/typed-value.js';

function cronProblem(pattern: string, timezone: string): string | undefined {
  try {
    new Cron(pattern, { paused: true, ...(timezone ? { timezone } : {}) }).stop();
    return undefined;
  } catch (err) {
    return `invalid cron expression "${pattern}": ${(err as Error).message}`;
  }
}

function timezoneProblem(tz: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return undefined;
  } catch {
    // Intl throws a RangeError naming nothing useful; the message below names the property and value.
    return `unknown time zone "${tz}" (use an IANA name such as Europe/Berlin)`;
  }
}

export const scheduleConfig = z
  .object({
    name: stringish(),
    /** cron: the expression below; interval: every `interval` seconds. */
    kind: z.enum(['cron', 'interval']).default('cron'),
    /** Six fields with seconds (`0 *\/5 * * * *`) or the usual five. */
    cron: stringish('0 0 * * * *'),
    /** IANA time zone of the cron expression; blank: the server's. */
    timezone: stringish(''),
    /** Seconds between runs (kind interval). */
    interval: numberish(60).pipe(z.number().min(0.05, 'interval must be at least 0.05 seconds').max(2_147_483, 'interval must be at most 2147483 seconds')),
    /** A run that has not come back within this many seconds fails with "timed out"; 0: never. */
    timeout: numberish(3600).pipe(z.number().min(0, 'timeout must not be negative')),
    /** skip: a firing while a run is going on is skipped (and "run now" refused); allow: runs may overlap. */
    overlap: z.enum(['skip', 'allow']).default('skip'),
    /** Also start a run when the node starts (after a deploy or a restart). */
    runOnStart: boolish(false),
    topic: stringish(''),
  })
  .superRefine((c, issue) => {
    if (c.timezone) {
      const p = timezoneProblem(c.timezone);
      if (p) issue.addIssue({ code: 'custom', path: ['timezone'], message: p });
    }
    if (c.kind === 'cron') {
      const p = c.cron.trim() ? cronProblem(c.cron.trim(), c.timezone) : 'a cron expression is required, e.g. "0 */5 * * * *"';
      if (p) issue.addIssue({ code: 'custom', path: ['cron'], message: p });
    }
  });
export type ScheduleConfig = z.infer<typeof scheduleConfig>;
