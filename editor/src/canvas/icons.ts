// Glyphs that DejaVu Sans has, so they draw on a bare Linux install as well as with emoji fonts.
/** A glyph for a node icon name (Node-RED file names or short names); the first letter when unknown. */
const GLYPHS: Record<string, string> = {
  inject: '⇥',
  debug: '☰',
  function: 'ƒ',
  change: '⇄',
  switch: '⇶',
  template: '{}',
  delay: '◷',
  trigger: '↯',
  split: '⋔',
  join: '⋈',
  json: '{}',
  csv: '▤',
  catch: '⚠',
  status: '◉',
  complete: '✓',
  link: '⇢',
  comment: '✎',
  mqtt: '⌁',
  bridge: '⌁',
  db: '⛁',
  database: '⛁',
  timer: '◷',
  alert: '⚠',
  http: '⇆',
  white: '⇆',
  subflow: '❐',
  file: '▦',
  range: '↔',
  sort: '⇅',
  batch: '⋯',
  rbe: '≠',
  swap: '⇄',
  arrow: '→',
  chart: '∿',
  window: '▭',
  device: '⎔',
  opc: '⎔',
  modbus: '⎔',
};

export function iconGlyph(icon: string | undefined, type: string): string {
  // A subflow instance's type carries the definition's id, which must not match a glyph by chance.
  if (!icon && type.startsWith('subflow:')) return GLYPHS['subflow'] ?? '?';
  const name = (icon ?? type).toLowerCase().replace(/\.(svg|png)$/, '').replace(/^font-awesome\/fa-/, '');
  for (const [key, glyph] of Object.entries(GLYPHS)) if (name.includes(key)) return glyph;
  return (type[0] ?? '?').toUpperCase();
}

/** Node-RED's default palette colour when a type gives none. */
export const DEFAULT_COLOR = '#dddddd';
