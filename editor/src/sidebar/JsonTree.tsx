import { memo, useState } from 'react';
import { childPath, previewOf } from './json-path.js';

async function copy(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch (err) {
    // Without clipboard permission, fall back to the old selection-based copy.
    console.warn('clipboard write refused, using execCommand', err);
    const area = document.createElement('textarea');
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
}

function CopyButtons({ path, value }: { path: string; value: unknown }) {
  return (
    <span className="gf-tree-copy">
      <button type="button" title="copy path" data-testid="copy-path" onClick={() => void copy(path)}>
        path
      </button>
      <button
        type="button"
        title="copy value"
        data-testid="copy-value"
        onClick={() => void copy(typeof value === 'string' ? value : (JSON.stringify(value, null, 2) ?? 'undefined'))}
      >
        value
      </button>
    </span>
  );
}

interface NodeProps {
  name: string | number | null;
  value: unknown;
  path: string;
  depth: number;
}

const TreeNode = memo(function TreeNode({ name, value, path, depth }: NodeProps) {
  const expandable = value !== null && typeof value === 'object';
  const [open, setOpen] = useState(depth < 1);
  const entries: [string | number, unknown][] = expandable
    ? Array.isArray(value)
      ? value.map((v, i) => [i, v])
      : Object.entries(value as Record<string, unknown>)
    : [];
  return (
    <div className="gf-tree-node">
      <div className="gf-tree-line">
        {expandable ? (
          <button type="button" className="gf-tree-toggle" data-testid="tree-toggle" onClick={() => setOpen(!open)}>
            {open ? '▾' : '▸'}
          </button>
        ) : (
          <span className="gf-tree-toggle" />
        )}
        {name !== null && <span className="gf-tree-key">{name}: </span>}
        <span className={`gf-tree-value t-${value === null ? 'null' : typeof value}`} data-testid="tree-value">
          {expandable && open ? (Array.isArray(value) ? `array[${value.length}]` : 'object') : previewOf(value)}
        </span>
        <CopyButtons path={path} value={value} />
      </div>
      {expandable && open && (
        <div className="gf-tree-children">
          {entries.slice(0, 500).map(([k, v]) => (
            <TreeNode key={String(k)} name={k} value={v} path={childPath(path, k)} depth={depth + 1} />
          ))}
          {entries.length > 500 && <div className="gf-muted">… {entries.length - 500} more</div>}
        </div>
      )}
    </div>
  );
});

/** An expandable JSON view; each line can copy its property path or its value. */
export function JsonTree({ value, rootPath }: { value: unknown; rootPath: string }) {
  return (
    <div className="gf-tree" data-testid="json-tree">
      <TreeNode name={null} value={value} path={rootPath} depth={0} />
    </div>
  );
}
