import { useEffect } from 'react';
import { findPage } from './registry.js';
import type { Route } from './route.js';
import { LiveSocketProvider } from './shared/live.js';

/**
 * Shows the page of a route. While a page is shown the flow canvas stays mounted but hidden, so
 * its keyboard and clipboard shortcuts (window/document listeners) must not see the page's keys:
 * they are stopped on their way up, after the page's own React handlers have run.
 */
export function PageHost({ route }: { route: Route }) {
  useEffect(() => {
    const stop = (e: Event): void => e.stopPropagation();
    const body = document.body;
    document.addEventListener('keydown', stop);
    body.addEventListener('copy', stop);
    body.addEventListener('cut', stop);
    body.addEventListener('paste', stop);
    return () => {
      document.removeEventListener('keydown', stop);
      body.removeEventListener('copy', stop);
      body.removeEventListener('cut', stop);
      body.removeEventListener('paste', stop);
    };
  }, []);
  const page = findPage(route.page);
  if (!page) {
    return (
      <main className="gf-page" data-testid="page-missing">
        <div className="gf-error-page">
          No page “{route.page}”. <a href="#/">Back to the flows</a>
        </div>
      </main>
    );
  }
  const Component = page.component;
  return (
    <main className="gf-page" data-testid={`page-${page.id}`}>
      <LiveSocketProvider>
        <Component params={route.params} />
      </LiveSocketProvider>
    </main>
  );
}
