import type { PageProps } from '../registry.js';

/** Explorer: being built. */
export function ExplorerPage(_props: PageProps) {
  return (
    <div className="gf-page-inner">
      <div className="gf-page-head">
        <h1>Explorer</h1>
      </div>
    </div>
  );
}
