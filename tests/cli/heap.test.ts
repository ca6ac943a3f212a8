/** bin/mta4dpr.js raises V8's heap for the CLI (a full-scale run outgrows the default ~4 GiB) unless told not to. */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../lib/data/paths';

function heapDetail(env: Record<string, string>): string {
  const out = execFileSync(process.execPath, [join(projectRoot(), 'bin', 'mta4dpr.js'), 'doctor', '--json'], {
    encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', ...env }, stdio: ['ignore', 'pipe', 'ignore'],
  });
  const report = JSON.parse(out) as { checks: Array<{ name: string; detail: string }> };
  return report.checks.find((c) => c.name === 'V8 heap limit')!.detail;
}

describe('bin/mta4dpr.js heap', function () {
  this.timeout(120000);
  it('re-runs with the heap MTA4DPR_HEAP asks for, and leaves it alone with off or a user flag', () => {
    const raised = /^(\d+) MiB of \d+ MiB memory \(raised by bin\/mta4dpr\.js\)$/.exec(heapDetail({ MTA4DPR_HEAP: '6000' }));
    assert.ok(raised && Math.abs(Number(raised[1]) - 6000) < 200, `heap near 6000 MiB: ${raised?.[0]}`);
    assert.doesNotMatch(heapDetail({ MTA4DPR_HEAP: 'off' }), /raised/);
    assert.doesNotMatch(heapDetail({ NODE_OPTIONS: '--max-old-space-size=3000' }), /raised/);
  });
});
