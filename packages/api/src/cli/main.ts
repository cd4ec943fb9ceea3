#!/usr/bin/env node
// The `wandb-api` bin: the program (program.ts) wired to this process. Ctrl-C or SIGTERM aborts
// the running command through its AbortSignal, so requests stop and downloads remove their temp
// files before the process exits (130 / 143); a second Ctrl-C exits at once (temp files left then
// are removed by the next download into that folder).
import { constants } from 'node:os';
import { main } from './program.js';

const controller = new AbortController();
let caught: NodeJS.Signals | undefined;
const onSignal = (signal: NodeJS.Signals) => {
  if (caught) process.exit(128 + (constants.signals[signal] ?? 2));
  caught = signal;
  controller.abort(new Error(`interrupted by ${signal}`));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
const code = await main(process.argv.slice(2), { signal: controller.signal });
process.off('SIGINT', onSignal);
process.off('SIGTERM', onSignal);
process.exitCode = caught ? 128 + (constants.signals[caught] ?? 2) : code;
