import { useState } from 'react';
import { deviceEndpoints, type DeviceReplyInfo, type ThingModel } from '@gridflow/runtime/contract';
import { errorMessage, request } from '../shared/http.js';
import { Field, FormErrors, Pill } from '../shared/ui.js';
import { initialValueText, readValues } from './value-text.js';
import { ValueFields } from './ValueInput.js';

/** Invokes a service of the model on the device with typed input parameters, and shows the reply. */
export function ServiceInvoke({ productKey, deviceKey, model, online }: { productKey: string; deviceKey: string; model: ThingModel; online: boolean }) {
  const services = model.services;
  const [serviceId, setServiceId] = useState(services[0]?.identifier ?? '');
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [timeoutMs, setTimeoutMs] = useState(10_000);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [reply, setReply] = useState<DeviceReplyInfo>();
  const [failure, setFailure] = useState('');
  const [busy, setBusy] = useState(false);
  const service = services.find((s) => s.identifier === serviceId);
  const inputs = service?.inputs ?? [];

  const invoke = async (): Promise<void> => {
    if (!service) return;
    const read = readValues(inputs, Object.fromEntries(inputs.map((p) => [p.identifier, texts[p.identifier] ?? initialValueText(p.spec)])));
    setErrors(read.errors);
    if (Object.keys(read.errors).length > 0) return;
    setBusy(true);
    setReply(undefined);
    setFailure('');
    try {
      setReply(
        await request(`invoke ${service.identifier} on ${deviceKey}`, deviceEndpoints.invokeService, {
          params: { productKey, deviceKey, service: service.identifier },
          body: { params: read.values, timeoutMs },
        }),
      );
    } catch (err) {
      setFailure(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="gf-card"
      data-testid="service-invoke"
      onSubmit={(e) => {
        e.preventDefault();
        void invoke();
      }}
    >
      <h2>Invoke a service</h2>
      {services.length === 0 ? (
        <div className="gf-empty">The model has no services.</div>
      ) : (
        <>
          <div className="gf-fields">
            <Field label="Service" name="service-select">
              <select
                value={serviceId}
                onChange={(e) => {
                  setServiceId(e.target.value);
                  setTexts({});
                  setErrors({});
                  setReply(undefined);
                }}
              >
                {services.map((s) => (
                  <option key={s.identifier} value={s.identifier}>
                    {s.name} ({s.identifier}, {s.callType})
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Timeout (ms)" name="service-timeout">
              <input type="number" min={100} max={300000} value={timeoutMs} onChange={(e) => setTimeoutMs(Math.max(100, Number(e.target.value) || 10_000))} />
            </Field>
          </div>
          {inputs.length > 0 && (
            <>
              <h3>Input parameters</h3>
              <ValueFields
                name="service-param"
                specs={inputs}
                texts={Object.fromEntries(inputs.map((p) => [p.identifier, texts[p.identifier] ?? initialValueText(p.spec)]))}
                onChange={setTexts}
                errors={errors}
              />
            </>
          )}
          {!online && <p className="gf-muted">The device is not online: the call will time out unless it connects.</p>}
          <FormErrors messages={failure ? [failure] : []} />
          {reply && (
            <div className="gf-card" data-testid="service-reply" style={{ background: '#fafafa' }}>
              <h3 style={{ marginTop: 0 }}>
                Reply <Pill kind={reply.code === 200 ? 'succeeded' : 'failed'}>code {reply.code}</Pill>
                {reply.message && <span className="gf-muted"> {reply.message}</span>}
              </h3>
              <pre className="gf-mono" style={{ margin: 0, whiteSpace: 'pre-wrap' }} data-testid="service-reply-data">
                {JSON.stringify(reply.data, null, 2)}
              </pre>
            </div>
          )}
          <div className="gf-actions">
            <button type="submit" className="primary" disabled={busy} data-testid="service-submit">
              {busy ? 'Waiting for the device…' : 'Invoke'}
            </button>
          </div>
        </>
      )}
    </form>
  );
}
