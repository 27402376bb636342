import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { PortData } from './projection.js';

/** A subflow's input or output, drawn on the subflow's own canvas. */
function PortViewImpl({ id, data, selected }: NodeProps<Node<PortData, 'port'>>) {
  return (
    <div className={`gf-subflow-port${selected ? ' selected' : ''}`} data-testid={`subflow-port-${id}`}>
      {data.kind === 'in' ? 'in' : `${data.index + 1}`}
      {data.kind === 'in' ? (
        <Handle type="source" position={Position.Right} id="out-0" className="gf-port" />
      ) : (
        <Handle type="target" position={Position.Left} id="in" className="gf-port" />
      )}
    </div>
  );
}

export const PortView = memo(PortViewImpl);

