import { FLOWS_PAGE, hashFor } from './route.js';
import { pages } from './registry.js';
import './pages.css';

/** The left rail: the flow canvas and every registered page, as links that set the hash. */
export function PageRail({ current }: { current: string }) {
  const items = [{ id: FLOWS_PAGE, title: 'Flows', icon: '⟿' }, ...pages];
  return (
    <nav className="gf-rail" data-testid="page-rail" aria-label="Pages">
      {items.map((p) => (
        <a
          key={p.id}
          href={p.id === FLOWS_PAGE ? '#/' : hashFor(p.id)}
          className={p.id === current ? 'active' : undefined}
          aria-current={p.id === current ? 'page' : undefined}
          data-testid={`rail-${p.id}`}
          title={p.title}
        >
          <span className="gf-rail-icon" aria-hidden="true">
            {p.icon}
          </span>
          <span className="gf-rail-label">{p.title}</span>
        </a>
      ))}
    </nav>
  );
}
