import { Handle, Position, type NodeProps, type Node } from '@xyflow/react';
import { memo, useCallback, type MouseEvent } from 'react';
import type { NodeStatusInfo } from '@gridflow/runtime/contract';
import { outputPortY } from '../model/index.js';
import { injectNode } from '../state/actions.js';
import { statusState } from '../state/runtime-state.js';
import { useStore } from '../state/store.js';
import { DEFAULT_COLOR, iconGlyph } from './icons.js';
import type { FlowNodeData } from './projection.js';

const STATUS_COLORS: Record<string, string> = { red: '#c00', green: '#5a8', yellow: '#F9DF31', blue: '#53A3F3', grey: '#d3d3d3' };

function StatusLine({ id }: { id: string }) {
  const status: NodeStatusInfo | undefined = useStore(statusState, (s) => s.statuses.get(id));
  if (!status || (status.text === undefined && status.fill === undefined)) return null;
  const color = STATUS_COLORS[status.fill ?? 'grey'] ?? '#999';
  return (
    <div className="gf-status" data-testid={`node-status-${id}`}>
      {status.fill && (
        <span
          className={`gf-status-dot ${status.shape === 'ring' ? 'ring' : 'dot'}`}
          style={status.shape === 'ring' ? { borderColor: color } : { background: color, borderColor: color }}
        />
      )}
      <span className="gf-status-text">{status.text ?? ''}</span>
    </div>
  );
}

/** One flow node: body, label, ports, status, problems. Memoised: redrawn only when its data object changes. */
function NodeViewImpl({ id, data, selected }: NodeProps<Node<FlowNodeData, 'flow'>>) {
  const { node, info, label, inputs, outputs, height, problems, changed } = data;
  const color = info?.color ?? (node.type.startsWith('subflow:') ? '#DDAA99' : DEFAULT_COLOR);
  const disabled = node.d === true;
  const invalid = problems !== undefined && problems.length > 0;
  const onInject = useCallback(
    (e: MouseEvent) => {
      e.stopPropagation();
      injectNode(id);
    },
    [id],
  );
  const classes = ['gf-node', selected ? 'selected' : '', invalid ? 'invalid' : '', disabled ? 'disabled' : '', info ? '' : 'unknown'];
  return (
    <div
      className={classes.join(' ')}
      style={{ background: color }}
      data-testid={`node-${id}`}
      data-node-type={node.type}
      title={invalid ? problems.map((p) => p.message).join('\n') : label}
    >
      {node.type === 'inject' && (
        <button type="button" className="gf-inject nodrag" onClick={onInject} data-testid={`inject-${id}`} title="inject">
          ▶
        </button>
      )}
      <div className="gf-node-icon">{iconGlyph(info?.icon, node.type)}</div>
      <div className="gf-node-label">{label}</div>
      {changed && <span className="gf-changed" title="changed since the last deploy" />}
      {invalid && (
        <span className="gf-invalid" data-testid={`node-invalid-${id}`} title={problems.map((p) => p.message).join('\n')}>
          ▲
        </span>
      )}
      {inputs > 0 && <Handle type="target" position={Position.Left} id="in" className="gf-port" />}
      {Array.from({ length: outputs }, (_, i) => (
        <Handle
          key={i}
          type="source"
          position={Position.Right}
          id={`out-${i}`}
          className="gf-port"
          style={{ top: outputPortY(i, outputs, height) }}
          title={info?.outputLabels?.[i]}
        />
      ))}
      <StatusLine id={id} />
    </div>
  );
}

export const NodeView = memo(NodeViewImpl);
