#!/usr/bin/env node
// Entry point of `npx mta4dpr`: runs the built CLI (npm install builds it).
//
// Node's default V8 heap (about 4 GiB here) ends a full-scale run hours in: the training state
// alone took 2.2 GiB per 100k MS MARCO training queries (environment.md, "Scaling per stage").
// Unless the user chose a heap size (--max-old-space-size in NODE_OPTIONS or the node flags) or
// MTA4DPR_HEAP=off, the CLI re-runs itself once with a heap of 3/4 of the machine's memory
// (MTA4DPR_HEAP=MiB sets another size); forked workers inherit the flag.
const os = require('node:os');
const v8 = require('node:v8');
const { spawn } = require('node:child_process');

/** Heap size in MiB to re-run with, or undefined to run here. */
function wantedHeapMiB() {
  const setting = process.env.MTA4DPR_HEAP;
  if (setting === 'off' || process.env.MTA4DPR_HEAP_SET === '1') return undefined;
  const chosen = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => a.includes('--max-old-space-size'));
  if (chosen) return undefined;
  const mib = setting !== undefined && /^\d+$/.test(setting) ? Number(setting) : Math.floor((os.totalmem() / 2 ** 20) * 0.75);
  const current = v8.getHeapStatistics().heap_size_limit / 2 ** 20;
  return mib > current * 1.1 ? mib : undefined;
}

function runHere() {
  require('../dist/lib/cli.js').main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}

const heap = wantedHeapMiB();
if (heap === undefined) runHere();
else {
  const child = spawn(process.execPath, [...process.execArgv, `--max-old-space-size=${heap}`, __filename, ...process.argv.slice(2)], {
    stdio: 'inherit', env: { ...process.env, MTA4DPR_HEAP_SET: '1' },
  });
  // Ctrl-C reaches both through the terminal's process group; a signal sent to this pid alone is passed on.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => {
    if (signal) {
      // Die of the same signal (the handlers above would otherwise catch it).
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    }
    else process.exitCode = code ?? 1;
  });
}
