import type { Device } from '@gridflow/runtime/contract';

/** Credentials of devices just created, as CSV text (productKey, deviceKey, deviceSecret). */
export function credentialsCsv(devices: readonly Device[]): string {
  const q = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return ['productKey,deviceKey,deviceSecret', ...devices.map((d) => [d.productKey, d.deviceKey, d.deviceSecret].map(q).join(','))].join('\n');
}

/** The secrets of devices just created: shown this once, with a copy as CSV. */
export function SecretsTable({ devices, onDone }: { devices: Device[]; onDone: () => void }) {
  return (
    <div className="gf-card" data-testid="device-secrets">
      <h2>
        {devices.length === 1 ? `Device ${devices[0]?.deviceKey ?? ''} created` : `${devices.length} devices created`}
      </h2>
      <p>Copy the device secrets now: this page shows them only this once.</p>
      <div className="gf-table-wrap" style={{ maxHeight: 220 }}>
        <table className="gf-table">
          <thead>
            <tr>
              <th>Product key</th>
              <th>Device key</th>
              <th>Device secret</th>
            </tr>
          </thead>
          <tbody>
            {devices.map((d) => (
              <tr key={`${d.productKey}/${d.deviceKey}`}>
                <td className="gf-mono">{d.productKey}</td>
                <td className="gf-mono">{d.deviceKey}</td>
                <td className="gf-mono" data-testid={`secret-${d.deviceKey}`}>
                  {d.deviceSecret}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="gf-actions">
        <button type="button" onClick={() => void navigator.clipboard?.writeText(credentialsCsv(devices))}>
          Copy as CSV
        </button>
        <button type="button" onClick={onDone} data-testid="device-secrets-done">
          I have stored them
        </button>
      </div>
    </div>
  );
}
