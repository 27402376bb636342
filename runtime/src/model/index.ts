/** Browser-safe flow model: the flows.json document, its validation and diffs. */
export * from './flow-document.js';
export * from './diff.js';
