import { serviceKey } from '@gridflow/runtime';

/** An alert as the threshold alert node raises and clears it; a raise and its clear share `id`. */
export interface Alert {
  id: string;
  /** The node that raised it. */
  source: string;
  key: string;
  state: 'raised' | 'cleared';
  severity: 'info' | 'warning' | 'major' | 'critical';
  message: string;
  value: unknown;
  /** Epoch ms of the raise or the clear. */
  time: number;
}

/** A host service that keeps alerts (the server stores them in QuestDB and shows them in the editor). */
export interface AlertSink {
  raise(alert: Alert): void | Promise<void>;
  clear(alert: Alert): void | Promise<void>;
}

export const alertSinkKey = serviceKey<AlertSink>('alerts');
