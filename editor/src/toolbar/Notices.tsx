import { dismiss, ui } from '../state/ui-state.js';
import { useStore } from '../state/store.js';

export function Notices() {
  const notices = useStore(ui, (s) => s.notices);
  return (
    <div className="gf-notices" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`gf-notice ${n.kind}`} data-testid={`notice-${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'}>
          <span>{n.text}</span>
          <button type="button" onClick={() => dismiss(n.id)} aria-label="dismiss">
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
