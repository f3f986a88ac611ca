import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RESVG_ALLOCATOR_ENV, tuneResvgAllocator } from '../../../src/charts/png.js';

describe("resvg's allocator", () => {
  it('purges freed pages after 1 ms, unless the environment already says how', () => {
    const env: NodeJS.ProcessEnv = {};
    tuneResvgAllocator(env);
    expect(env.MIMALLOC_PURGE_DELAY).toBe('1');
    const own: NodeJS.ProcessEnv = { MIMALLOC_PURGE_DELAY: '50' };
    tuneResvgAllocator(own);
    expect(own.MIMALLOC_PURGE_DELAY).toBe('50');
  });

  it('runs with these options in a process that draws a chart (mimalloc says so)', () => {
    // A fresh process: mimalloc reads its options once, when the addon is first loaded, and
    // MIMALLOC_VERBOSE makes it print them. The renderer loads resvg on its own thread.
    const png = pathToFileURL(resolve('src/charts/png.ts')).href;
    const script = `
      import { createChartRenderer } from ${JSON.stringify(png)};
      const renderer = createChartRenderer();
      const image = await renderer.png('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>');
      await renderer.close();
      console.log('png bytes', image.length);
    `;
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, MIMALLOC_VERBOSE: '1' };
    const tsx = createRequire(import.meta.url).resolve('tsx');
    const run = spawnSync(
      process.execPath,
      ['--import', tsx, '--input-type=module', '-e', script],
      { encoding: 'utf8', env },
    );
    expect(run.stdout).toMatch(/png bytes \d+/);
    // resvg-js links mimalloc into its builds for x64 (and most others); where a build has
    // none, there is nothing to tune.
    if (!run.stderr.includes('mimalloc:')) {
      expect(process.arch).not.toBe('x64');
      return;
    }
    for (const [name, value] of Object.entries(RESVG_ALLOCATOR_ENV)) {
      const option = name.replace(/^MIMALLOC_/, '').toLowerCase();
      expect(run.stderr).toContain(`mimalloc: option '${option}': ${value}`);
    }
  });
});
