import type { EdgeInfo } from '@gridflow/runtime/contract';
import { hashFor } from '../route.js';
import { devicePostWarning, devicePostsText, gatewayText } from './gateway-view.js';

/** The device an edge posts as (linking to its device page) and how its device posts fared. */
export function GatewayCell({ edge }: { edge: EdgeInfo }) {
  const gw = edge.gateway;
  const warning = devicePostWarning(edge);
  return (
    <td data-testid={`edge-gateway-${edge.name}`}>
      {gw ? (
        <a
          className="gf-mono"
          href={hashFor('devices', gw.productKey, gw.deviceKey)}
          data-testid={`edge-gateway-link-${edge.name}`}
        >
          {gatewayText(gw)}
        </a>
      ) : (
        <span className="gf-muted">no gateway</span>
      )}
      <div className="gf-muted" data-testid={`edge-posts-${edge.name}`}>
        {devicePostsText(edge)}
      </div>
      {warning && (
        <div className="gf-field-error" data-testid={`edge-posts-warning-${edge.name}`}>
          {warning}
        </div>
      )}
    </td>
  );
}
