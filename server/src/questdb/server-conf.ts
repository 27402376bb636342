/** Renders `<root>/conf/server.conf` for a QuestDB that Gridflow starts itself. */

export interface ServerConfOptions {
  /** Interface every listener binds to; loopback keeps the database private to this machine. */
  bindHost: string;
  httpPort: number;
  pgPort: number;
  /** ILP over TCP; off unless a port is given (Gridflow writes over HTTP). */
  ilpTcpPort?: number | undefined;
  /** The minimal HTTP server (/status, metrics); off unless a port is given. */
  healthPort?: number | undefined;
  pgUser: string;
  pgPassword: string;
  /** Threads per QuestDB worker pool; QuestDB sizes them from the CPU count when absent. */
  workers?: number | undefined;
  /** Further settings, written last. */
  extra?: Readonly<Record<string, string | number | boolean>> | undefined;
}

// Java properties treat backslash, '#', '!' and line breaks specially; values we write are plain
// (addresses, numbers, credentials), but a password may still hold any of them.
function escapeValue(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/^([#! ])/, '\\$1');
}

export function renderServerConf(o: ServerConfOptions): string {
  const settings: [string, string | number | boolean][] = [
    ['http.bind.to', `${o.bindHost}:${o.httpPort}`],
    ['pg.net.bind.to', `${o.bindHost}:${o.pgPort}`],
    ['pg.user', o.pgUser],
    ['pg.password', o.pgPassword],
    ['line.udp.enabled', false],
    ['telemetry.enabled', false],
  ];
  if (o.ilpTcpPort) settings.push(['line.tcp.net.bind.to', `${o.bindHost}:${o.ilpTcpPort}`]);
  else settings.push(['line.tcp.enabled', false]);
  if (o.healthPort) settings.push(['http.min.net.bind.to', `${o.bindHost}:${o.healthPort}`]);
  else settings.push(['http.min.enabled', false]);
  if (o.workers) {
    for (const pool of ['shared.network', 'shared.query', 'shared.write', 'wal.apply', 'mat.view.refresh']) {
      settings.push([`${pool}.worker.count`, o.workers]);
    }
  }
  for (const [key, value] of Object.entries(o.extra ?? {})) settings.push([key, value]);
  const lines = settings.map(([k, v]) => `${k}=${escapeValue(String(v))}`);
  return `# Written by Gridflow; rewritten at every start.\n${lines.join('\n')}\n`;
}
