import { deviceEndpoints } from '@gridflow/runtime/contract';
import { navigate } from '../route.js';
import type { PageProps } from '../registry.js';
import { formatTime } from '../shared/format.js';
import { useLoad } from '../shared/hooks.js';
import { request, withModule } from '../shared/http.js';
import { LoadError, PageHead } from '../shared/ui.js';
import { describeSpec, newModel } from './draft.js';
import { ModelForm } from './ModelForm.js';

/** Thing models: the list, and the form of the one in the route (`#/models/<id>`, `#/models/new`). */
export function ModelsPage({ params }: PageProps) {
  const selected = params[0];
  const list = useLoad((signal) => withModule('Device management', request('load thing models', deviceEndpoints.listThingModels, { signal })), []);
  const models = list.data?.models ?? [];
  const current = selected && selected !== 'new' ? models.find((m) => m.model.id === selected) : undefined;
  return (
    <div className="gf-page-inner">
      <PageHead title="Thing models" note="what a kind of device has, reports and does">
        <button type="button" className="primary" onClick={() => navigate('models', 'new')} data-testid="model-new">
          New model
        </button>
      </PageHead>
      {list.error && <LoadError message={list.error} retry={list.reload} />}
      <div style={{ display: 'grid', gridTemplateColumns: selected ? 'minmax(280px, 1fr) 2.4fr' : '1fr', gap: 14, alignItems: 'start' }}>
        <div className="gf-card">
          <table className="gf-table" data-testid="model-list">
            <thead>
              <tr>
                <th>Model</th>
                <th className="num">Points</th>
                <th className="num">Products</th>
                {!selected && <th>Measure points</th>}
                {!selected && <th>Updated</th>}
              </tr>
            </thead>
            <tbody>
              {models.map(({ model, products, updatedAt }) => (
                <tr key={model.id} className={`clickable${model.id === selected ? ' selected' : ''}`} onClick={() => navigate('models', model.id)} data-testid={`model-row-${model.id}`}>
                  <td>
                    <b>{model.name}</b>
                    <div className="gf-muted gf-mono">{model.id}</div>
                  </td>
                  <td className="num">{model.measurePoints.length}</td>
                  <td className="num">{products}</td>
                  {!selected && (
                    <td className="gf-muted">
                      {model.measurePoints
                        .slice(0, 4)
                        .map((p) => `${p.identifier}: ${describeSpec(p.spec)}`)
                        .join(' · ')}
                      {model.measurePoints.length > 4 ? ' …' : ''}
                    </td>
                  )}
                  {!selected && <td>{formatTime(updatedAt)}</td>}
                </tr>
              ))}
            </tbody>
          </table>
          {!list.loading && models.length === 0 && <div className="gf-empty">No thing models yet. Create one to define products.</div>}
        </div>
        {selected === 'new' && (
          <ModelForm
            key="new"
            initial={newModel()}
            isNew
            onSaved={(m) => {
              list.reload();
              navigate('models', m.model.id);
            }}
            onDeleted={() => undefined}
          />
        )}
        {current && (
          <ModelForm
            key={current.model.id}
            initial={current.model}
            isNew={false}
            onSaved={() => list.reload()}
            onDeleted={() => {
              list.reload();
              navigate('models');
            }}
          />
        )}
        {selected && selected !== 'new' && !current && !list.loading && <LoadError message={`No thing model "${selected}".`} />}
      </div>
    </div>
  );
}
