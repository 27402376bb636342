import type { PageProps } from '../registry.js';

/** Alerts: being built. */
export function AlertsPage(_props: PageProps) {
  return (
    <div className="gf-page-inner">
      <div className="gf-page-head">
        <h1>Alerts</h1>
      </div>
    </div>
  );
}
