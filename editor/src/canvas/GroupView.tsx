import type { Node, NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { GroupData } from './projection.js';

interface GroupStyle {
  fill?: string;
  stroke?: string;
  label?: boolean;
  color?: string;
}

function GroupViewImpl({ id, data, selected }: NodeProps<Node<GroupData, 'group'>>) {
  const style = (data.node['style'] ?? {}) as GroupStyle;
  return (
    <div
      className={`gf-group${selected ? ' selected' : ''}`}
      data-testid={`group-${id}`}
      style={{ background: style.fill ?? 'rgba(180,180,200,0.12)', borderColor: style.stroke ?? '#999' }}
    >
      {style.label !== false && data.label && (
        <div className="gf-group-label" style={{ color: style.color }}>
          {data.label}
        </div>
      )}
    </div>
  );
}

export const GroupView = memo(GroupViewImpl);
