import {
  Background,
  Controls,
  ReactFlow,
  SelectionMode,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type NodeChange,
  type OnNodeDrag,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent, type MouseEvent } from 'react';
import { connect, fitGroups, moveNodes, type Point } from '../model/index.js';
import { addNodeAt } from '../state/actions.js';
import { currentDoc, edit, editor, setSelection } from '../state/editor-state.js';
import { useChanged, useDoc, useProblems } from '../state/hooks.js';
import { rectOfNode, sharedMeasure } from '../state/layout.js';
import { session } from '../state/session.js';
import { useStore } from '../state/store.js';
import { pointer, ui } from '../state/ui-state.js';
import { CanvasMenu, type MenuAt } from './CanvasMenu.js';
import { applyPositionChanges, toDocPositions } from './drag.js';
import { GroupView } from './GroupView.js';
import { Minimap } from './Minimap.js';
import { NodeView } from './NodeView.js';
import { openingViewport } from './opening-view.js';
import { PortView } from './PortView.js';
import { EdgeProjection, NodeProjection, type FlowRFNode } from './projection.js';

const nodeTypes = { flow: NodeView, group: GroupView, port: PortView };
const EMPTY = new Map<string, Point>();
export const PALETTE_MIME = 'application/x-gridflow-type';
// React Flow props as constants: a new array or object each render would update its store (and
// wake every subscriber) on every drag frame.
const MULTI_SELECT_KEYS = ['Shift', 'Meta', 'Control'];
const PAN_BUTTONS = [1, 2];
const ZOOM_KEYS = ['Meta', 'Control'];
const SNAP_GRID: [number, number] = [10, 10];
const PRO_OPTIONS = { hideAttribution: true };
const EDGE_OPTIONS = { type: 'default' };
const FIT_OPTIONS = { padding: 0.1, maxZoom: 1.2 };

/** The flow canvas: a React Flow projection of the active tab of the document. */
export function FlowCanvas() {
  const doc = useDoc();
  const z = useStore(editor, (s) => s.activeZ);
  const selection = useStore(editor, (s) => s.selection);
  const catalog = useStore(session, (s) => s.catalog);
  const focusNode = useStore(ui, (s) => s.focusNode);
  const problems = useProblems();
  const changed = useChanged();
  const [overlay, setOverlay] = useState<ReadonlyMap<string, Point>>(EMPTY);
  const [menu, setMenu] = useState<MenuAt | null>(null);
  const dragStart = useRef<Map<string, Point>>(new Map());
  const nodeProjection = useRef(new NodeProjection());
  const edgeProjection = useRef(new EdgeProjection());
  const flow = useReactFlow();

  const nodes = useMemo(
    () => nodeProjection.current.project({ doc, z, catalog, selection, problems, changed, overlay, measure: sharedMeasure() }),
    [doc, z, catalog, selection, problems, changed, overlay],
  );
  const nodesById = useMemo(() => new Map(nodes.map((n) => [n.id, n])), [nodes]);
  const disabledIds = useMemo(() => {
    const tab = doc.find((n) => n.id === z);
    const all = tab?.['disabled'] === true;
    return new Set(doc.filter((n) => n.z === z && (all || n.d === true)).map((n) => n.id));
  }, [doc, z]);
  const edges = useMemo(() => edgeProjection.current.project(doc, z, selection, disabledIds), [doc, z, selection, disabledIds]);

  // Fit the view once per opened tab, when it has something to show. (React Flow queues a fitView
  // on an empty canvas until the first node appears, which would jump the view on the first drop.)
  const fittedFor = useRef<string | null>(null);
  const canvasRef = useRef<HTMLDivElement>(null);
  const latestNodes = useRef(nodes);
  latestNodes.current = nodes;
  const hasNodes = nodes.length > 0;
  useEffect(() => {
    if (fittedFor.current === z) return;
    fittedFor.current = z;
    if (!hasNodes) {
      void flow.setViewport({ x: 0, y: 0, zoom: 1 });
      return;
    }
    const rects = latestNodes.current.map((n) => ({ x: n.position.x, y: n.position.y, w: n.width ?? 0, h: n.height ?? 0 }));
    const el = canvasRef.current;
    const corner = openingViewport(rects, el?.clientWidth ?? 0, el?.clientHeight ?? 0);
    if (corner) {
      void flow.setViewport(corner);
      return;
    }
    const t = setTimeout(() => void flow.fitView({ padding: 0.1, maxZoom: 1.2 }), 0);
    return () => clearTimeout(t);
  }, [z, flow, hasNodes]);

  // Centre on a node asked for by search or an error link.
  useEffect(() => {
    if (!focusNode) return;
    const n = nodesById.get(focusNode);
    if (!n) return;
    void flow.setCenter(n.position.x + (n.width ?? 0) / 2, n.position.y + (n.height ?? 0) / 2, { zoom: 1.2, duration: 300 });
    setSelection([focusNode]);
    ui.set({ focusNode: null });
  }, [focusNode, nodesById, flow]);

  // The handler reads the overlay and the nodes through refs, so it keeps its identity during a
  // drag: a new handler each frame would make React Flow update its store (and every subscriber).
  const overlayRef = useRef(overlay);
  overlayRef.current = overlay;
  const nodesByIdRef = useRef(nodesById);
  nodesByIdRef.current = nodesById;

  const onNodeDragStart: OnNodeDrag<FlowRFNode> = useCallback(() => {
    // Remember where everything started, so dragged groups can carry their members.
    const start = new Map<string, Point>();
    for (const n of nodesByIdRef.current.values()) start.set(n.id, n.position);
    dragStart.current = start;
  }, []);

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowRFNode>[]) => {
      const update = applyPositionChanges(changes, overlayRef.current, dragStart.current, currentDoc());
      if (update.overlay) {
        overlayRef.current = update.overlay;
        setOverlay(update.overlay);
      }
      if (update.commit) {
        const moves = toDocPositions(update.commit, nodesByIdRef.current);
        const catalogNow = session.get().catalog;
        edit((d) => {
          const moved = moveNodes(d, moves);
          return moved.some((n) => n.type === 'group') ? fitGroups(moved, rectOfNode(moved, catalogNow)) : moved;
        });
        overlayRef.current = EMPTY;
        setOverlay(EMPTY);
      }
      const selects = changes.filter((c) => c.type === 'select');
      if (selects.length > 0) {
        const next = new Set(editor.get().selection);
        for (const c of selects) {
          if (c.selected) next.add(c.id);
          else next.delete(c.id);
        }
        setSelection(next);
      }
    },
    [],
  );

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    const selects = changes.filter((c) => c.type === 'select');
    if (selects.length === 0) return;
    const next = new Set(editor.get().selection);
    for (const c of selects) {
      if (c.selected) next.add(c.id);
      else next.delete(c.id);
    }
    setSelection(next);
  }, []);

  const onConnect = useCallback((c: Connection) => {
    const port = Number((c.sourceHandle ?? 'out-0').replace('out-', ''));
    edit((d) => connect(d, { source: c.source, port: Number.isInteger(port) ? port : 0, target: c.target }));
  }, []);

  const isValidConnection = useCallback(
    (c: Connection | { source: string; target: string }) => c.source !== c.target,
    [],
  );

  const onDragOver = useCallback((e: DragEvent) => {
    if (e.dataTransfer.types.includes(PALETTE_MIME)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    }
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const type = e.dataTransfer.getData(PALETTE_MIME);
      if (!type) return;
      e.preventDefault();
      addNodeAt(type, flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
    },
    [flow],
  );

  const onMouseMove = useCallback(
    (e: MouseEvent) => pointer.set({ flow: flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }) }),
    [flow],
  );

  // A plain click (no drag) on a node of a multi-selection selects just it, as in Node-RED;
  // React Flow keeps the others selected so that a drag would move them all.
  const onNodeClick = useCallback((e: MouseEvent, n: FlowRFNode) => {
    if (e.shiftKey || e.ctrlKey || e.metaKey) return;
    if (editor.get().selection.size > 1) setSelection([n.id]);
  }, []);

  const onNodeDoubleClick = useCallback((_e: MouseEvent, n: FlowRFNode) => {
    setSelection([n.id]);
    ui.set({ sidebar: 'node' });
  }, []);

  const onContextMenu = useCallback((e: MouseEvent | globalThis.MouseEvent, nodeId?: string) => {
    e.preventDefault();
    if (nodeId && !editor.get().selection.has(nodeId)) setSelection([nodeId]);
    setMenu({ x: e.clientX, y: e.clientY });
  }, []);
  const onNodeContextMenu = useCallback((e: MouseEvent, n: FlowRFNode) => onContextMenu(e, n.id), [onContextMenu]);
  const onPaneContextMenu = useCallback((e: MouseEvent | globalThis.MouseEvent) => onContextMenu(e), [onContextMenu]);
  const closeMenu = useCallback(() => setMenu(null), []);

  if (!z) return <div className="gf-empty-canvas">No flow tab. Add one with the + button.</div>;
  return (
    <div className="gf-canvas" ref={canvasRef} data-testid="canvas" onDragOver={onDragOver} onDrop={onDrop} onMouseMove={onMouseMove}>
      <ReactFlow<FlowRFNode>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        isValidConnection={isValidConnection}
        onNodeDragStart={onNodeDragStart}
        onNodeClick={onNodeClick}
        onNodeDoubleClick={onNodeDoubleClick}
        onPaneContextMenu={onPaneContextMenu}
        onNodeContextMenu={onNodeContextMenu}
        onSelectionContextMenu={onPaneContextMenu}
        onPaneClick={closeMenu}
        deleteKeyCode={null}
        selectionKeyCode={null}
        multiSelectionKeyCode={MULTI_SELECT_KEYS}
        selectionOnDrag
        selectionMode={SelectionMode.Partial}
        panOnDrag={PAN_BUTTONS}
        panOnScroll
        zoomOnScroll={false}
        zoomActivationKeyCode={ZOOM_KEYS}
        minZoom={0.05}
        maxZoom={3}
        snapToGrid
        snapGrid={SNAP_GRID}
        // Only nodes in view are mounted. Always on: switching it with the node count re-renders
        // every node of the old list once (deleting 2,000 selected nodes took seconds).
        onlyRenderVisibleElements
        elevateNodesOnSelect={false}
        proOptions={PRO_OPTIONS}
        defaultEdgeOptions={EDGE_OPTIONS}
        connectionRadius={24}
      >
        <Background gap={20} />

        <Controls showInteractive={false} data-testid="canvas-controls" fitViewOptions={FIT_OPTIONS} />
      </ReactFlow>
      <Minimap nodes={nodes} />
      {menu && <CanvasMenu at={menu} onClose={() => setMenu(null)} />}
    </div>
  );
}


