// CPU profile of a measured window only (the bench's mark → report), written as a .cpuprofile:
// a whole-process --cpu-prof is dominated by start-up and 1,000 connects, not by steady ingest.
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Starts profiling when `dir` is set; `stop(name)` writes `dir/name-<pid>.cpuprofile`. */
export async function windowProfile(dir) {
  if (!dir) return { stop: async () => undefined };
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return {
    async stop(name) {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      const file = join(dir, `${name}-${process.pid}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      return file;
    },
  };
}
