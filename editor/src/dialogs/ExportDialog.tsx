import { useMemo, useState } from 'react';
import { exportNodes, formatExport, type ExportScope } from '../model/index.js';
import { currentDoc, editor } from '../state/editor-state.js';
import { useStore } from '../state/store.js';
import { notify, ui } from '../state/ui-state.js';
import { Modal } from './Modal.js';

type ScopeKind = ExportScope['kind'];

/** Export the selection, the current flow or everything as Node-RED JSON: copy or download. */
export function ExportDialog() {
  const selection = useStore(editor, (s) => s.selection);
  const activeZ = useStore(editor, (s) => s.activeZ);
  const [kind, setKind] = useState<ScopeKind>(selection.size > 0 ? 'selection' : 'tab');
  const [pretty, setPretty] = useState(false);
  const text = useMemo(() => {
    const scope: ExportScope =
      kind === 'selection' ? { kind, ids: [...selection].filter((id) => !id.includes('|')) } : kind === 'tab' ? { kind, tabId: activeZ } : { kind };
    return formatExport(exportNodes(currentDoc(), scope), pretty);
  }, [kind, pretty, selection, activeZ]);
  const close = (): void => ui.set({ dialog: null });
  const copy = (): void => {
    navigator.clipboard.writeText(text).then(
      () => notify('success', 'Copied to the clipboard'),
      (err: unknown) => notify('error', `Copy failed: ${(err as Error).message}`),
    );
  };
  const download = (): void => {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    a.download = 'flows.json';
    a.click();
    URL.revokeObjectURL(a.href);
  };
  return (
    <Modal title="Export nodes" onClose={close} testId="export-dialog">
      <div className="gf-modal-row">
        {(['selection', 'tab', 'all'] as const).map((k) => (
          <label key={k} className="gf-radio">
            <input type="radio" name="scope" checked={kind === k} onChange={() => setKind(k)} data-testid={`export-scope-${k}`} />
            {k === 'selection' ? 'selected nodes' : k === 'tab' ? 'current flow' : 'all flows'}
          </label>
        ))}
        <label className="gf-radio">
          <input type="checkbox" checked={pretty} onChange={(e) => setPretty(e.target.checked)} /> formatted
        </label>
      </div>
      <textarea className="gf-import-text" readOnly rows={14} value={text} data-testid="export-text" />
      <div className="gf-modal-actions">
        <button type="button" onClick={download}>
          Download
        </button>
        <button type="button" className="primary" onClick={copy} data-testid="export-copy">
          Copy to clipboard
        </button>
      </div>
    </Modal>
  );
}
