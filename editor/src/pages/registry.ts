import type { ComponentType } from 'react';
import { AlertsPage } from './alerts/AlertsPage.js';
import { DevicesPage } from './devices/DevicesPage.js';
import { EdgesPage } from './edges/EdgesPage.js';
import { ExplorerPage } from './explorer/ExplorerPage.js';
import { JobsPage } from './jobs/JobsPage.js';
import { ModelsPage } from './models/ModelsPage.js';
import { ProductsPage } from './products/ProductsPage.js';
import { StoragePage } from './storage/StoragePage.js';

/** What a page receives: the hash path after its id (`#/devices/pk/dk` → ['pk', 'dk']). */
export interface PageProps {
  params: string[];
}

/** One entry of the navigation rail besides the flow canvas. */
export interface PageEntry {
  /** The hash route: `#/{id}`. Letters, digits and - only. */
  id: string;
  title: string;
  /** A short glyph shown in the rail. */
  icon: string;
  component: ComponentType<PageProps>;
}

/**
 * The editor's pages, in rail order. To add one, import its component and append an entry;
 * the rail and the hash routing pick it up.
 */
export const pages: readonly PageEntry[] = [
  { id: 'models', title: 'Models', icon: '◈', component: ModelsPage },
  { id: 'products', title: 'Products', icon: '▣', component: ProductsPage },
  { id: 'devices', title: 'Devices', icon: '⌁', component: DevicesPage },
  { id: 'storage', title: 'Storage', icon: '⛁', component: StoragePage },
  { id: 'explorer', title: 'Explorer', icon: '⌕', component: ExplorerPage },
  { id: 'alerts', title: 'Alerts', icon: '⚠', component: AlertsPage },
  { id: 'jobs', title: 'Jobs', icon: '◷', component: JobsPage },
  { id: 'edges', title: 'Edges', icon: '⇵', component: EdgesPage },
];

export function findPage(id: string): PageEntry | undefined {
  return pages.find((p) => p.id === id);
}
