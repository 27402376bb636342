import { deploy, deployState, reloadFlows } from '../state/deploy.js';
import { useStore } from '../state/store.js';
import { notify, ui } from '../state/ui-state.js';
import { ExportDialog } from './ExportDialog.js';
import { ImportDialog } from './ImportDialog.js';
import { Modal } from './Modal.js';
import { SearchDialog } from './SearchDialog.js';

function ConflictDialog() {
  const close = (): void => deployState.set({ conflict: false });
  return (
    <Modal title="The flows changed on the server" onClose={close} testId="conflict-dialog">
      <p>Someone deployed since you loaded the flows. Load theirs (your undeployed changes are lost) or overwrite them with yours.</p>
      <div className="gf-modal-actions">
        <button
          type="button"
          data-testid="conflict-reload"
          onClick={() => reloadFlows().catch((err: unknown) => notify('error', `Reload failed: ${(err as Error).message}`))}
        >
          Load theirs
        </button>
        <button type="button" className="primary" data-testid="conflict-overwrite" onClick={() => void deploy(undefined, true)}>
          Deploy mine
        </button>
      </div>
    </Modal>
  );
}

export function Dialogs() {
  const dialog = useStore(ui, (s) => s.dialog);
  const conflict = useStore(deployState, (s) => s.conflict);
  return (
    <>
      {dialog === 'import' && <ImportDialog />}
      {dialog === 'export' && <ExportDialog />}
      {dialog === 'search' && <SearchDialog />}
      {conflict && <ConflictDialog />}
    </>
  );
}
