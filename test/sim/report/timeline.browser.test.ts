/**
 * timeline.html in a real headless Chromium (Debian's /usr/bin/chromium driven by
 * playwright-core; a browser is never downloaded). Without Chromium the test says it was
 * skipped; under CI=true it must run, so a missing browser fails it (.ci/run installs it).
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { main } from '../../../sim/cli/main.ts';
import { executeScenario } from '../../../sim/cli/execute.ts';
import { renderTimelineHtml } from '../../../sim/report/html.ts';
import { lanesOf } from '../../../sim/report/lanes.ts';
import type { Scenario } from '../../../sim/target.ts';
import { pumpTarget, type PumpWorkload } from '../../fixtures/pumpTarget.ts';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = new URL('../../../', import.meta.url).pathname;
const LAUNCH = {
  executablePath: CHROMIUM,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
  timeout: 30_000,
};
const haveChromium = existsSync(CHROMIUM);
const inCi = process.env.CI === 'true';

const scenario: Scenario<PumpWorkload> = {
  format: 1,
  title: 'pump: exit reported before the last chunk, with a lag and a cut',
  target: 'test-pump',
  variant: 'early-exit',
  seed: -14,
  mode: 'safety',
  workload: {
    chunks: [
      { gapMs: 74, bytes: 8, stream: 'stdout' },
      { gapMs: 198, bytes: 8, stream: 'stderr' },
      { gapMs: 147, bytes: 8, stream: 'stdout' },
    ],
    exitAfterMs: 0,
    exitCode: 0,
    pumpDelayMsMax: 30,
  },
  faults: [
    // both take effect (a fault that hits nothing is refused): the lag delays the first chunk,
    // the cut comes after the early exit was reported, before the last chunk arrives
    { at: 60, kind: 'lag', target: 'client->server', durationMs: 50, extraMs: 20 },
    { at: 436, kind: 'cut', target: 'client->server' },
  ],
  expect: 'pass',
};

describe('timeline.html in headless Chromium', () => {
  if (!haveChromium && !inCi) {
    it.skipIf(true)(`skipped: ${CHROMIUM} is not installed (apt-get install chromium; CI installs it)`, () => undefined);
    return;
  }

  it('renders, has one lane per actor, marks the faults and names the violation', async () => {
    expect(haveChromium, `${CHROMIUM} is missing: under CI=true this test must run (.ci/run installs chromium)`).toBe(true);
    const report = await executeScenario(pumpTarget, scenario, { name: 'browser-check', replayCommand: 'npx execsim replay x.json' });
    expect(report.violated).toContain('no-lost-output');
    const html = renderTimelineHtml({
      scenario,
      events: report.events,
      results: report.results,
      properties: report.properties,
      traceHash: report.traceHash,
      replayCommand: report.replayCommand,
      verdict: report.why,
    });
    const dir = mkdtempSync(join(tmpdir(), 'execsim-html-'));
    const file = join(dir, 'timeline.html');
    writeFileSync(file, html);

    const browser = await chromium.launch(LAUNCH);
    try {
      const page = await browser.newPage();
      const failedRequests: string[] = [];
      page.on('requestfailed', (r) => failedRequests.push(r.url()));
      await page.goto(pathToFileURL(file).href, { timeout: 15_000 });
      const lanes = await page.$$eval('#timeline th.lane', (ths) => ths.map((th) => th.getAttribute('data-lane')));
      expect(lanes).toEqual(lanesOf(report.events));
      expect(lanes).toEqual(['process', 'server', 'client', 'network']);
      const headline = await page.textContent('#violation');
      expect(headline).toContain('no-lost-output violated (safety): lost silently');
      const box = await page.locator('#violation').boundingBox();
      expect(box?.height).toBeGreaterThan(20);
      expect(await page.locator('tr.fault').count()).toBe(2);
      expect(await page.locator('td.lost').count()).toBeGreaterThan(0);
      const rows = await page.locator('#timeline tbody tr').count();
      expect(rows).toBeGreaterThan(20);
      // self-contained: nothing fetched from anywhere
      expect(failedRequests).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);

  it("the validator's conformance page renders its property x fault table, and a violated cell opens its timeline", async () => {
    expect(haveChromium, `${CHROMIUM} is missing: under CI=true this test must run`).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'execsim-conf-'));
    const executor = `"${process.execPath}" --import tsx "${ROOT}test/fixtures/executors/killedExitZero.ts" --listen ws://127.0.0.1:{port}`;
    const code = await main(
      ['validate', '--executor', executor, '--faults', 'none,lag', '--workloads', 'signal,trickle', '--report', dir],
      { out: () => undefined, err: () => undefined },
    );
    expect(code).toBe(1);
    const browser = await chromium.launch(LAUNCH);
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(join(dir, 'conformance.html')).href, { timeout: 15_000 });
      expect(await page.$$eval('#matrix th.fault', (ths) => ths.map((th) => th.textContent))).toEqual(['none', 'lag']);
      // every exec-stream property, the wire rules seq-discipline and next-seq included
      expect(await page.locator('#matrix th.property').count()).toBe(11);
      expect(await page.textContent('#verdict')).toContain('violated: truthful-exit');
      const bad = page.locator('td.violated[data-property="truthful-exit"][data-fault="none"] a');
      await bad.click();
      await page.waitForSelector('#violation', { timeout: 10_000 });
      expect(await page.textContent('#violation')).toContain(
        'truthful-exit violated (safety): a process killed by SIGKILL reported as exit 0',
      );
      expect(await page.locator('#timeline th.lane').count()).toBeGreaterThan(0);
    } finally {
      await browser.close();
    }
  }, 90_000);
});
