#!/usr/bin/env node
// V8 settings for the agent's start, set here so that every way of starting it gets them (issue 6:
// an edge box has little memory and the agent mostly waits). V8 reads both flags as it runs, so they
// work from inside the process; they must come before the agent's modules load.
import { setFlagsFromString } from 'node:v8';

// The start allocates in a burst (modules, schemas, the saved deployment); V8 would answer it by
// doubling the young generation's semi-spaces up to 16 MB, and an idle agent, which hardly ever
// collects garbage, would keep them. Held at the initial 1 MB until the agent runs.
setFlagsFromString('--semi-space-growth-factor=1');
// No optimizing compiler during the start either: module set-up and schema building run once, yet
// TurboFan would compile a few of those functions and keep its compiler's memory.
setFlagsFromString('--no-opt');

const { main } = await import('../dist/cli.js');
// Once the saved deployment runs, V8's defaults come back: message paths that get hot are
// optimized, and the young generation grows under sustained load (a fixed 1 MB one costs ~20 %
// more CPU per message upstream).
const defaults = () => {
  setFlagsFromString('--opt');
  setFlagsFromString('--semi-space-growth-factor=2');
};
process.exitCode = await main(process.argv.slice(2), { onStarted: defaults });
