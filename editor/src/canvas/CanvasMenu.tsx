import { useEffect } from 'react';
import {
  copySelection,
  cutSelection,
  deleteSelection,
  groupSelection,
  pasteText,
  selectAll,
  selectionToSubflow,
  toggleDisabledSelection,
  ungroupSelection,
} from '../state/actions.js';
import { pointer, ui } from '../state/ui-state.js';

export interface MenuAt {
  x: number;
  y: number;
}

interface Item {
  id: string;
  label: string;
  keys?: string;
  run(): void;
}

const ITEMS: Item[] = [
  { id: 'copy', label: 'Copy', keys: 'Ctrl+C', run: () => void navigatorCopy(copySelection()) },
  { id: 'cut', label: 'Cut', keys: 'Ctrl+X', run: () => void navigatorCopy(cutSelection()) },
  { id: 'paste', label: 'Paste', keys: 'Ctrl+V', run: () => void pasteFromClipboard() },
  { id: 'delete', label: 'Delete', keys: 'Delete', run: deleteSelection },
  { id: 'select-all', label: 'Select all', keys: 'Ctrl+A', run: selectAll },
  { id: 'group', label: 'Group selection', keys: 'Ctrl+Shift+G', run: groupSelection },
  { id: 'ungroup', label: 'Ungroup', keys: 'Ctrl+Shift+U', run: ungroupSelection },
  { id: 'subflow', label: 'Selection to subflow', run: selectionToSubflow },
  { id: 'disable', label: 'Enable / disable', run: toggleDisabledSelection },
  { id: 'export', label: 'Export…', keys: 'Ctrl+E', run: () => ui.set({ dialog: 'export' }) },
  { id: 'import', label: 'Import…', keys: 'Ctrl+I', run: () => ui.set({ dialog: 'import' }) },
];

async function navigatorCopy(text: string): Promise<void> {
  if (!text) return;
  try {
    await navigator.clipboard.writeText(text);
  } catch (err) {
    // The page may not be allowed to write the clipboard; the editor's own clipboard still holds it.
    console.warn('clipboard write refused', err);
  }
}

async function pasteFromClipboard(): Promise<void> {
  let text = '';
  try {
    text = await navigator.clipboard.readText();
  } catch (err) {
    console.warn('clipboard read refused; pasting the editor clipboard', err);
  }
  pasteText(text, pointer.get().flow ?? undefined);
}

/** The canvas's right-click menu. */
export function CanvasMenu({ at, onClose }: { at: MenuAt; onClose: () => void }) {
  useEffect(() => {
    const close = (): void => onClose();
    window.addEventListener('click', close);
    return () => window.removeEventListener('click', close);
  }, [onClose]);
  return (
    <ul className="gf-menu" style={{ left: at.x, top: at.y }} data-testid="canvas-menu" role="menu">
      {ITEMS.map((item) => (
        <li key={item.id}>
          <button
            type="button"
            role="menuitem"
            data-testid={`menu-${item.id}`}
            onClick={() => {
              item.run();
              onClose();
            }}
          >
            <span>{item.label}</span>
            {item.keys && <kbd>{item.keys}</kbd>}
          </button>
        </li>
      ))}
    </ul>
  );
}
