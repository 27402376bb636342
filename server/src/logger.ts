export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface Logger {
  error(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
}

const rank: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/** Plain lines on a stream (stderr by default): time, level, message, then key=value fields. */
export function createLogger(level: LogLevel = 'info', write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const emit = (l: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    if (rank[l] > rank[level]) return;
    const extra = fields
      ? Object.entries(fields)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => ` ${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join('')
      : '';
    write(`${new Date().toISOString()} ${l.padEnd(5)} ${message}${extra}\n`);
  };
  return { error: emit('error'), warn: emit('warn'), info: emit('info'), debug: emit('debug') };
}

/** A logger that drops everything (tests). */
export const silentLogger: Logger = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };
