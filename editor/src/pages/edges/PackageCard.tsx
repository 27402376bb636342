import { endpoints } from '@gridflow/runtime/contract';
import { formatBytes, formatTime } from '../shared/format.js';
import { useLoad } from '../shared/hooks.js';
import { request } from '../shared/http.js';
import { LoadError } from '../shared/ui.js';
import { CopyBlock } from './EnrollCard.js';

/** The installable agent (`npm run build:edge`): download it, and the commands to install and start it. */
export function PackageCard() {
  const info = useLoad((signal) => request('load the edge package', endpoints.edgePackageInfo, { signal }), []);
  const p = info.data;
  return (
    <div className="gf-card" data-testid="edge-package">
      <h2>Edge package</h2>
      {info.error && <LoadError message={info.error} retry={info.reload} />}
      {p && !p.available && (
        <p data-testid="edge-package-missing">
          Not built yet. On the server, run <code className="gf-mono">npm run build:edge</code>, then reload this page.
        </p>
      )}
      {p?.available && (
        <>
          <p>
            <a href={endpoints.edgePackage.path} download={p.file ?? undefined} data-testid="edge-package-download">
              {p.file}
            </a>{' '}
            <span className="gf-muted">
              {p.sizeBytes !== null ? formatBytes(p.sizeBytes) : ''} · built {formatTime(p.builtAt)}
            </span>
          </p>
          <p className="gf-muted">
            Download, install and start it on the edge machine; TOKEN is a token from “Enroll an edge”:
          </p>
          {p.commands.map((c, i) => (
            <CopyBlock key={c} text={c} testId={`edge-package-command-${i}`} />
          ))}
        </>
      )}
    </div>
  );
}
