// Types of editor-measure.mjs for the e2e test that imports it.
import type { Page } from 'playwright-core';

export type EditorKind = 'gridflow' | 'node-red';
export interface FrameFigures {
  fps: number;
  worstMs: number;
  frames: number;
}
export interface EditorFigures {
  open: { drawnMs: number; paintedMs: number; nodes: number };
  pan: FrameFigures;
  drag: FrameFigures;
}

export function bigFlow(n: number, tabId?: string): Record<string, unknown>[];
export const EDITORS: Record<EditorKind, { node: string; canvas: string }>;
export function measureOpen(page: Page, url: string, editor: EditorKind, minNodes: number): Promise<EditorFigures['open']>;
export function measureFrames(page: Page, action: () => Promise<void>): Promise<FrameFigures>;
export function pan(page: Page, editor: EditorKind, ms?: number): Promise<void>;
export function dragNode(page: Page, editor: EditorKind, ms?: number): Promise<void>;
export function measureEditor(page: Page, url: string, editor: EditorKind, minNodes: number): Promise<EditorFigures>;
export function round(n: number, d?: number): number;
export function describeResult(editor: EditorKind, r: EditorFigures): string;
