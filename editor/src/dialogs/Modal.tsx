import type { ReactNode } from 'react';

export function Modal({ title, onClose, children, testId }: { title: string; onClose: () => void; children: ReactNode; testId: string }) {
  return (
    <div className="gf-modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="gf-modal" role="dialog" aria-label={title} data-testid={testId}>
        <div className="gf-modal-title">
          <span>{title}</span>
          <button type="button" onClick={onClose} aria-label="close" data-testid="modal-close">
            ×
          </button>
        </div>
        <div className="gf-modal-body">{children}</div>
      </div>
    </div>
  );
}
