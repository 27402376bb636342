import type { PageProps } from '../registry.js';

/** Jobs: being built. */
export function JobsPage(_props: PageProps) {
  return (
    <div className="gf-page-inner">
      <div className="gf-page-head">
        <h1>Jobs</h1>
      </div>
    </div>
  );
}
