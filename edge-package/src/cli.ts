import { parseEdgeArgs, USAGE } from './options.js';
import { startAgent } from './agent.js';

const stamp = () => new Date().toISOString();
const log = {
  info: (m: string) => console.log(`${stamp()} info  ${m}`),
  warn: (m: string) => console.error(`${stamp()} warn  ${m}`),
  error: (m: string) => console.error(`${stamp()} error ${m}`),
};

export interface MainHooks {
  /** Called once the agent runs (its saved deployment started, the link to the server opening). */
  onStarted?: () => void;
}

export async function main(argv: string[], hooks: MainHooks = {}): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  let options;
  try {
    options = parseEdgeArgs(argv);
  } catch (err) {
    console.error(`gridflow-edge: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  let agent;
  try {
    agent = await startAgent(options, log);
  } catch (err) {
    console.error(`gridflow-edge: ${(err as Error).message}`);
    return 1;
  }
  const running = agent;
  hooks.onStarted?.();
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info(`${signal}: stopping`);
      void running.close().then(resolve, resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  return 0;
}
