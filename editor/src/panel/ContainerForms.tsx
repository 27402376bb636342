import { portsOf, renameTab, setSubflowPorts, setTabDisabled, updateNode, type FlowNode } from '../model/index.js';
import { edit } from '../state/editor-state.js';

/** Properties of a flow tab: label, enabled, description. */
export function TabForm({ tab }: { tab: FlowNode }) {
  return (
    <div className="gf-panel-node" data-testid="tab-properties">
      <div className="gf-panel-title">
        <span className="gf-panel-type">flow</span>
      </div>
      <div className="gf-form">
        <div className="gf-row">
          <label>Name</label>
          <input
            data-testid="tab-prop-label"
            value={String(tab['label'] ?? '')}
            onChange={(e) => edit((d) => renameTab(d, tab.id, e.target.value), { coalesceKey: `${tab.id}:label` })}
          />
        </div>
        <div className="gf-row">
          <label>Enabled</label>
          <input
            type="checkbox"
            data-testid="tab-prop-enabled"
            checked={tab['disabled'] !== true}
            onChange={(e) => edit((d) => setTabDisabled(d, tab.id, !e.target.checked))}
          />
        </div>
        <div className="gf-row">
          <label>Description</label>
          <textarea
            rows={5}
            value={String(tab['info'] ?? '')}
            onChange={(e) => edit((d) => updateNode(d, tab.id, { info: e.target.value }), { coalesceKey: `${tab.id}:info` })}
          />
        </div>
      </div>
    </div>
  );
}

/** Properties of a subflow definition: name, ports, colour, category, description. */
export function SubflowForm({ def }: { def: FlowNode }) {
  const inputs = portsOf(def, 'in').length;
  const outputs = portsOf(def, 'out').length;
  const set = (patch: Record<string, unknown>, key: string): void =>
    edit((d) => updateNode(d, def.id, patch), { coalesceKey: `${def.id}:${key}` });
  return (
    <div className="gf-panel-node" data-testid="subflow-properties">
      <div className="gf-panel-title">
        <span className="gf-panel-type">subflow</span>
      </div>
      <div className="gf-form">
        <div className="gf-row">
          <label>Name</label>
          <input data-testid="subflow-prop-name" value={String(def.name ?? '')} onChange={(e) => set({ name: e.target.value }, 'name')} />
        </div>
        <div className="gf-row">
          <label>Inputs</label>
          <select
            data-testid="subflow-prop-inputs"
            value={inputs}
            onChange={(e) => edit((d) => setSubflowPorts(d, def.id, Number(e.target.value), outputs))}
          >
            <option value={0}>0</option>
            <option value={1}>1</option>
          </select>
        </div>
        <div className="gf-row">
          <label>Outputs</label>
          <input
            data-testid="subflow-prop-outputs"
            type="number"
            min={0}
            max={20}
            value={outputs}
            onChange={(e) => edit((d) => setSubflowPorts(d, def.id, inputs, Math.max(0, Math.min(20, Number(e.target.value) || 0))))}
          />
        </div>
        <div className="gf-row">
          <label>Colour</label>
          <input type="color" value={String(def['color'] ?? '#DDAA99')} onChange={(e) => set({ color: e.target.value }, 'color')} />
        </div>
        <div className="gf-row">
          <label>Category</label>
          <input value={String(def['category'] ?? '')} onChange={(e) => set({ category: e.target.value }, 'category')} />
        </div>
        <div className="gf-row">
          <label>Description</label>
          <textarea rows={4} value={String(def['info'] ?? '')} onChange={(e) => set({ info: e.target.value }, 'info')} />
        </div>
      </div>
    </div>
  );
}
