import type { FlowDiff, FlowDocument } from '@gridflow/runtime';

/** One line describing a deploy: counts, and the tabs touched by label. */
export function summarizeDiff(diff: FlowDiff, after: FlowDocument, before: FlowDocument): string {
  const parts: string[] = [];
  if (diff.added.length) parts.push(`${diff.added.length} added`);
  if (diff.changed.length) parts.push(`${diff.changed.length} changed`);
  if (diff.removed.length) parts.push(`${diff.removed.length} removed`);
  if (diff.rewired.length) parts.push(`${diff.rewired.length} rewired`);
  if (!parts.length) return 'no changes';
  const byId = new Map([...before, ...after].map((n) => [n.id, n]));
  const labels = diff.changedFlows
    .map((id) => {
      const n = byId.get(id);
      const label = n && (typeof n['label'] === 'string' ? n['label'] : n.name);
      return label || id;
    })
    .slice(0, 3);
  const more = diff.changedFlows.length > 3 ? ` and ${diff.changedFlows.length - 3} more` : '';
  const where = labels.length ? ` on ${labels.length > 1 || more ? 'tabs' : 'tab'} ${labels.join(', ')}${more}` : '';
  return parts.join(', ') + where;
}
