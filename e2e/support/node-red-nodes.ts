/**
 * inject and debug nodes with every property Node-RED 4's export writes, so that test flows read
 * as what a user pastes from Node-RED; each test gives only what differs.
 */

interface Placed {
  id: string;
  z: string;
  name: string;
  x: number;
  y: number;
}

const injectDefaults = {
  props: [{ p: 'payload' }] as { p: string; vt?: string }[],
  payload: '',
  payloadType: 'date',
  topic: '',
  repeat: '',
  crontab: '',
  once: false,
  onceDelay: 0.1,
};

export function injectNode(node: Placed & Partial<typeof injectDefaults> & { wires: string[][] }) {
  return { type: 'inject', ...injectDefaults, ...node };
}

const debugDefaults = {
  active: true,
  tosidebar: true,
  console: false,
  tostatus: false,
  complete: 'payload',
  targetType: 'msg',
  statusVal: '',
  statusType: 'auto',
};

export function debugNode(node: Placed & Partial<typeof debugDefaults>) {
  return { type: 'debug', ...debugDefaults, ...node, wires: [] };
}
