import { useState, type ChangeEvent } from 'react';
import { parseImport } from '../model/index.js';
import { pasteText } from '../state/actions.js';
import { ui } from '../state/ui-state.js';
import { Modal } from './Modal.js';

/** Import Node-RED JSON from pasted text or a file; flows with tabs arrive as new tabs. */
export function ImportDialog() {
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const close = (): void => ui.set({ dialog: null });
  const check = (t: string): void => {
    setText(t);
    if (t.trim() === '') return setError('');
    try {
      const nodes = parseImport(t);
      setError(`${nodes.length} node${nodes.length === 1 ? '' : 's'} ready to import`);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const onFile = (e: ChangeEvent<HTMLInputElement>): void => {
    const file = e.target.files?.[0];
    if (file) file.text().then(check, (err: unknown) => setError(`cannot read ${file.name}: ${(err as Error).message}`));
  };
  const doImport = (): void => {
    if (pasteText(text)) close();
  };
  let valid = false;
  try {
    valid = text.trim() !== '' && parseImport(text).length > 0;
  } catch {
    // Invalid JSON: the message under the box says why; the button stays disabled.
    valid = false;
  }
  return (
    <Modal title="Import nodes" onClose={close} testId="import-dialog">
      <textarea
        className="gf-import-text"
        data-testid="import-text"
        placeholder="Paste Node-RED flow JSON here"
        rows={14}
        value={text}
        onChange={(e) => check(e.target.value)}
      />
      <div className="gf-modal-row">
        <input type="file" accept=".json,application/json" onChange={onFile} data-testid="import-file" />
        <span className={valid ? 'gf-muted' : 'gf-field-error'} data-testid="import-status">
          {error}
        </span>
      </div>
      <div className="gf-modal-actions">
        <button type="button" onClick={close}>
          Cancel
        </button>
        <button type="button" className="primary" disabled={!valid} onClick={doImport} data-testid="import-confirm">
          Import
        </button>
      </div>
    </Modal>
  );
}
