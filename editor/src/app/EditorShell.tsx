import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, useState } from 'react';
import { FlowCanvas } from '../canvas/FlowCanvas.js';
import { Dialogs } from '../dialogs/Dialogs.js';
import { Palette } from '../palette/Palette.js';
import { Sidebar } from '../sidebar/Sidebar.js';
import { editor } from '../state/editor-state.js';
import { useStore } from '../state/store.js';
import { Header } from '../toolbar/Header.js';
import { Notices } from '../toolbar/Notices.js';
import { PageHost } from '../pages/PageHost.js';
import { PageRail } from '../pages/PageRail.js';
import { FLOWS_PAGE, useHashRoute } from '../pages/route.js';
import { TabBar } from '../workspace/TabBar.js';
import { startSession } from './connection.js';
import { useKeyboardShortcuts } from './keyboard.js';

/** The editor's layout: header, palette, tabs and canvas, sidebar; loads the session's data. */
export function EditorShell() {
  const loaded = useStore(editor, (s) => s.loaded);
  const [error, setError] = useState('');
  // Pages (#/devices, …) replace the canvas in view; the canvas stays mounted to keep its state.
  const route = useHashRoute();
  const onPage = route.page !== FLOWS_PAGE;
  useKeyboardShortcuts();
  useEffect(() => {
    let stop: (() => void) | undefined;
    let cancelled = false;
    startSession().then(
      (s) => {
        if (cancelled) s();
        else stop = s;
      },
      (err: unknown) => setError((err as Error).message),
    );
    return () => {
      cancelled = true;
      stop?.();
    };
  }, []);
  return (
    <ReactFlowProvider>
      <div className="gf-frame">
      <PageRail current={route.page} />
      <div className="gf-shell" data-testid="editor" style={onPage ? { display: 'none' } : undefined}>
        <Header />
        <Palette />
        <main className="gf-workspace">
          <TabBar />
          {error ? (
            <div className="gf-error-page">Could not load the editor: {error}</div>
          ) : loaded ? (
            <FlowCanvas />
          ) : (
            <div className="gf-loading">Loading flows…</div>
          )}
        </main>
        <Sidebar />
        <Dialogs />
        <Notices />
      </div>
      {onPage && <PageHost route={route} />}
      </div>
    </ReactFlowProvider>
  );
}
