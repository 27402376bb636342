import type { PageProps } from '../registry.js';

/** Storage: being built. */
export function StoragePage(_props: PageProps) {
  return (
    <div className="gf-page-inner">
      <div className="gf-page-head">
        <h1>Storage</h1>
      </div>
    </div>
  );
}
