/**
 * One headless Debian Chromium per process (through playwright-core), with plotly.js loaded once.
 * Closed after a short idle time, because its open pipes would otherwise keep a CLI from exiting.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';

/** Launch flags that work headless, as root, without a GPU or network (see ECOSYSTEM.md). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The Chromium binary: `$MTA4DPR_CHROMIUM`, else Debian's `/usr/bin/chromium`. */
export function chromiumPath(): string {
  return process.env.MTA4DPR_CHROMIUM || '/usr/bin/chromium';
}

/** Idle time after which the browser is closed (ms); `$MTA4DPR_CHROMIUM_IDLE_MS` overrides. */
function idleMs(): number {
  const v = Number(process.env.MTA4DPR_CHROMIUM_IDLE_MS);
  return Number.isFinite(v) && v >= 0 ? v : 3000;
}

let session: Promise<{ browser: Browser; page: Page }> | undefined;
let idleTimer: NodeJS.Timeout | undefined;
let busy = 0;

async function launch(): Promise<{ browser: Browser; page: Page }> {
  const exe = chromiumPath();
  if (!existsSync(exe)) {
    throw new Error(`Chromium not found at ${exe}: install it with \`apt-get install chromium\` (Debian), or set MTA4DPR_CHROMIUM to a Chromium/Chrome binary. Never \`npx playwright install\`.`);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  const browser = await chromium.launch({ executablePath: exe, headless: true, args: CHROMIUM_ARGS });
  const page = await browser.newPage();
  const plotly = readFileSync(require.resolve('plotly.js-dist-min'), 'utf8');
  await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
  await page.addScriptTag({ content: plotly });
  return { browser, page };
}

/** Runs `fn` with the shared page (plotly.js loaded), launching Chromium if needed. */
export async function withPlotlyPage<T>(fn: (page: Page) => Promise<T>): Promise<T> {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = undefined;
  busy++;
  try {
    if (!session) {
      session = launch();
      session.catch(() => { session = undefined; });
    }
    const { page } = await session;
    return await fn(page);
  } finally {
    busy--;
    if (busy === 0) {
      idleTimer = setTimeout(() => { void closeBrowser(); }, idleMs());
      idleTimer.unref();
    }
  }
}

/** Closes the shared browser now (safe to call when none is open). */
export async function closeBrowser(): Promise<void> {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = undefined;
  const s = session;
  session = undefined;
  if (!s) return;
  try {
    await (await s).browser.close();
  } catch {
    // A browser that failed to start or already died has nothing left to close.
  }
}
