import { Cron } from 'croner';
import { defineNode, errorMessage, generateId, type Msg, type NodeContext, type NodeHandlers } from '@gridflow/runtime';
import type { JobTrigger } from '@gridflow/runtime/contract';
import { createJobTracker, JobOverlapError } from '../job-tracker.js';
import { jobOf, jobsKey, type JobRef, type JobTracker, type ScheduleControl } from '../services.js';
import { createCompletion, runParts } from './run-completion.js';
import { scheduleConfig, type ScheduleConfig } from './schedule-config.js';

interface OpenRun {
  ref: JobRef;
  timer: NodeJS.Timeout | undefined;
  completion: ReturnType<typeof createCompletion>;
}

function errorText(error: unknown): string {
  if (error !== null && typeof error === 'object' && 'message' in error) {
    const e = error as { message: unknown; source?: { id?: unknown } };
    const from = typeof e.source?.id === 'string' ? ` (node ${e.source.id})` : '';
    return `${String(e.message)}${from}`;
  }
  return String(error);
}

function createSchedule(ctx: NodeContext, c: ScheduleConfig): NodeHandlers {
  // Without a host service the node still runs its schedule; runs then live only here.
  const tracker: JobTracker = ctx.service(jobsKey) ?? createJobTracker();
  const open = new Map<string, OpenRun>();
  let paused = tracker.isPaused(ctx.id);
  let closed = false;
  let cron: Cron | undefined;
  let interval: NodeJS.Timeout | undefined;
  let nextInterval: number | undefined;

  const showStatus = () => {
    if (closed) return;
    if (paused) ctx.status({ fill: 'grey', shape: 'ring', text: 'paused' });
    else if (open.size) ctx.status({ fill: 'blue', shape: 'dot', text: `running (${open.size})` });
    else {
      const next = control.nextRun();
      ctx.status({ fill: 'green', shape: 'dot', text: next ? `next ${next.toISOString().slice(0, 19).replace('T', ' ')}Z` : 'idle' });
    }
  };

  const end = (run: OpenRun, error?: string) => {
    ctx.timers.clearTimeout(run.timer);
    open.delete(run.ref.id);
    tracker.finish(run.ref.id, error);
    showStatus();
  };

  const startRun = (trigger: JobTrigger, user?: string): JobRef => {
    const ref = tracker.start(ctx.id, trigger, user);
    const run: OpenRun = { ref, timer: undefined, completion: createCompletion() };
    if (c.timeout > 0) {
      run.timer = ctx.timers.setTimeout(() => {
        if (open.get(ref.id) !== run) return;
        ctx.warn(`schedule ${ctx.id}: run ${ref.id} timed out after ${c.timeout} s`);
        end(run, `timed out after ${c.timeout} s`);
      }, c.timeout * 1000);
    }
    open.set(ref.id, run);
    showStatus();
    ctx.send({ _msgid: generateId(), topic: c.topic, payload: Date.now(), job: { ...ref } });
    return ref;
  };

  const fire = (trigger: JobTrigger) => {
    if (closed || paused) return;
    if (c.overlap === 'skip' && open.size) {
      ctx.warn(`schedule ${ctx.id}: skipped a ${trigger} run: run ${[...open.keys()][0] ?? ''} is still going on`);
      return;
    }
    startRun(trigger);
  };

  const control: ScheduleControl = {
    runNow(user) {
      if (closed) throw new Error(`schedule ${ctx.id} is stopped`);
      const running = [...open.keys()][0];
      if (c.overlap === 'skip' && running !== undefined) throw new JobOverlapError(ctx.id, running);
      return startRun('manual', user);
    },
    setPaused(value) {
      paused = value;
      if (cron) {
        if (value) cron.pause();
        else cron.resume();
      }
      showStatus();
    },
    nextRun() {
      if (paused || closed) return undefined;
      if (cron) return cron.nextRun() ?? undefined;
      return nextInterval !== undefined ? new Date(nextInterval) : undefined;
    },
  };

  if (c.kind === 'cron') {
    cron = new Cron(c.cron.trim(), { paused, ...(c.timezone ? { timezone: c.timezone } : {}) }, () => {
      try {
        fire('cron');
      } catch (err) {
        ctx.error(new Error(`schedule ${ctx.id}: ${errorMessage(err)}`));
      }
    });
  } else {
    const ms = c.interval * 1000;
    nextInterval = Date.now() + ms;
    interval = ctx.timers.setInterval(() => {
      nextInterval = Date.now() + ms;
      fire('interval');
    }, ms);
  }

  const removeSchedule = tracker.addSchedule(
    {
      id: ctx.id,
      flowId: ctx.z,
      name: ctx.name || ctx.id,
      kind: c.kind,
      cron: c.kind === 'cron' ? c.cron.trim() : null,
      timezone: c.timezone || null,
      intervalSeconds: c.kind === 'interval' ? c.interval : null,
      timeoutSeconds: c.timeout,
    },
    control,
  );
  showStatus();
  if (c.runOnStart && !paused) ctx.timers.setTimeout(() => fire('startup'), 0);

  return {
    input(msg: Msg) {
      const job = jobOf(msg);
      const run = job && job.schedule === ctx.id ? open.get(job.id) : undefined;
      if (!run) {
        if (!job) ctx.warn(`schedule ${ctx.id}: a message without msg.job reached the input; only the end of a run's pipeline belongs here`);
        return;
      }
      if (msg['error'] !== undefined && msg['error'] !== null) return end(run, errorText(msg['error']));
      const parts = runParts(msg['parts'], run.ref.id);
      if (!parts || run.completion.arrive(parts.index, parts.count)) end(run);
    },
    close() {
      closed = true;
      cron?.stop();
      ctx.timers.clearInterval(interval);
      for (const run of [...open.values()]) end(run, 'the schedule node stopped (deploy or shutdown) before the run ended');
      removeSchedule();
    },
  };
}

export const scheduleNode = defineNode({
  type: 'schedule',
  version: 1,
  category: 'etl',
  inputs: 1,
  outputs: 1,
  config: scheduleConfig,
  label: 'schedule',
  paletteLabel: 'schedule',
  icon: 'font-awesome/fa-clock-o',
  color: '#e2d96e',
  outputLabels: ['job start'],
  create: createSchedule,
  help: `Starts an ETL **job run** on a cron expression (with seconds and a time zone) or every N seconds.
Each start sends \`msg.job = { id, schedule, name }\`; the nodes of the pipeline report the rows they
read and write to the run (see the Jobs page).

**Ending a run**: wire the end of the pipeline (and a catch node) back into this node's input. A
message carrying the run's \`msg.job\` ends it: failed when it has \`msg.error\`, succeeded otherwise.
When a source sent the run's rows as several messages (\`msg.parts\` with the run id), the run ends
once all of them came back. A run that has not ended after *timeout* seconds fails with "timed out".

**Overlap**: *skip* leaves out a start while a run is going on; *allow* lets runs overlap.
A schedule can be paused, resumed and run now from the Jobs page or the REST API.`,
});
