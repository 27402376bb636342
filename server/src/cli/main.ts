import { errorMessage } from '@gridflow/runtime';
import { describeConfig } from '../config.js';
import { serverVersion } from '../version.js';
import { runCommand } from './run-command.js';
import { simulateCommand } from './simulate-command.js';
import { startCommand } from './start-command.js';
import { UsageError, type CliIo, type Command } from './usage.js';

/** Subcommands by name; later ones (simulate) are added here. */
export const commands: Record<string, Command> = {
  start: startCommand,
  run: runCommand,
  simulate: simulateCommand,
};

export function helpText(): string {
  const names = Object.keys(commands);
  const width = Math.max(...names.map((n) => n.length));
  const config = describeConfig()
    .filter((f) => f.env)
    .map((f) => `  ${(f.env as string).padEnd(30)} ${f.doc}${f.default !== undefined ? ` (default: ${JSON.stringify(f.default)})` : ''}`);
  return [
    `gridflow ${serverVersion}: flow-based IoT platform`,
    '',
    'Usage:',
    ...Object.values(commands).map((c) => `  ${c.usage}`),
    '  gridflow --help | --version',
    '',
    'Commands:',
    ...names.map((n) => `  ${n.padEnd(width)}  ${(commands[n] as Command).summary}`),
    '',
    'Configuration (a JSON file with --config or GRIDFLOW_CONFIG, or environment variables):',
    ...config,
    '',
  ].join('\n');
}

/**
 * Listens for SIGINT/SIGTERM from the moment it is called, so a signal that arrives while a
 * command is still starting is not lost. Waiting keeps the process alive: a flow with no timers
 * or sockets must still run until it is stopped.
 */
function listenForStop(): () => Promise<string> {
  let keepAlive: NodeJS.Timeout | undefined;
  const stopped = new Promise<string>((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      clearInterval(keepAlive);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
  return () => {
    keepAlive ??= setInterval(() => undefined, 1 << 30);
    return stopped;
  };
}

export const processIo = (): CliIo => ({
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
  stopSignal: listenForStop(),
});

/** Runs the command line; resolves with the exit code (2 for usage errors). */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    (first === undefined ? io.stderr : io.stdout)(helpText());
    return first === undefined ? 2 : 0;
  }
  if (first === '--version' || first === '-v') {
    io.stdout(`${serverVersion}\n`);
    return 0;
  }
  const command = commands[first];
  try {
    if (!command) throw new UsageError(first.startsWith('-') ? `unknown option "${first}"` : `unknown command "${first}"`);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(`Usage: ${command.usage}\n  ${command.summary}\n`);
      return 0;
    }
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`gridflow: ${err.message}\nRun "gridflow --help" for usage.\n`);
      return err.exitCode;
    }
    io.stderr(`gridflow: ${errorMessage(err)}\n`);
    return 1;
  }
}
