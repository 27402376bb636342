import { useEffect } from 'react';
import {
  copySelection,
  cutSelection,
  deleteSelection,
  groupSelection,
  pasteText,
  selectAll,
  ungroupSelection,
} from '../state/actions.js';
import { deploy } from '../state/deploy.js';
import { redo, undo } from '../state/editor-state.js';
import { pointer, ui } from '../state/ui-state.js';

/** True when the key goes to a text field (inputs, the code editor), not to the canvas. */
function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || !!target.closest('.cm-editor');
}

/**
 * Node-RED's shortcuts. Copy, cut and paste use the browser's clipboard events, which carry the
 * clipboard text without asking for a permission, so pasting between Node-RED and Gridflow works.
 */
export function useKeyboardShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === 'd') {
        e.preventDefault();
        void deploy();
        return;
      }
      if (mod && key === 'f') {
        e.preventDefault();
        ui.set({ dialog: 'search' });
        return;
      }
      if (e.key === 'Escape' && ui.get().dialog) {
        ui.set({ dialog: null });
        return;
      }
      if (typingIn(e.target) || ui.get().dialog) return;
      if (mod && key === 'z' && !e.shiftKey) {
        e.preventDefault();
        undo();
      } else if (mod && (key === 'y' || (key === 'z' && e.shiftKey))) {
        e.preventDefault();
        redo();
      } else if (mod && key === 'a') {
        e.preventDefault();
        selectAll();
      } else if (mod && key === 'i') {
        e.preventDefault();
        ui.set({ dialog: 'import' });
      } else if (mod && key === 'e') {
        e.preventDefault();
        ui.set({ dialog: 'export' });
      } else if (mod && e.shiftKey && key === 'g') {
        e.preventDefault();
        groupSelection();
      } else if (mod && e.shiftKey && key === 'u') {
        e.preventDefault();
        ungroupSelection();
      } else if (e.key === 'Delete' || e.key === 'Backspace') {
        e.preventDefault();
        deleteSelection();
      }
    };
    const onCopy = (e: ClipboardEvent): void => {
      if (typingIn(e.target) || ui.get().dialog) return;
      const text = e.type === 'cut' ? cutSelection() : copySelection();
      if (text && e.clipboardData) {
        e.clipboardData.setData('text/plain', text);
        e.preventDefault();
      }
    };
    const onPaste = (e: ClipboardEvent): void => {
      if (typingIn(e.target) || ui.get().dialog) return;
      e.preventDefault();
      pasteText(e.clipboardData?.getData('text/plain') ?? '', pointer.get().flow ?? undefined);
    };
    window.addEventListener('keydown', onKey);
    document.addEventListener('copy', onCopy);
    document.addEventListener('cut', onCopy);
    document.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('cut', onCopy);
      document.removeEventListener('paste', onPaste);
    };
  }, []);
}
