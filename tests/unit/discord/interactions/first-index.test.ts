import { firstIndex } from '../../../../src/discord/interactions/router.js';

describe('an interaction just after start-up', () => {
  it('waits for the first search index, and no longer than that', async () => {
    let built!: () => void;
    const building = new Promise<void>((resolve) => (built = resolve));
    let done = false;
    const waiting = firstIndex({ whenSearchable: () => building }, 60_000).then(
      () => (done = true),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false);
    built();
    await waiting;
    expect(done).toBe(true);
  });

  it('goes on after the bound when the index is not done by then', async () => {
    const never = new Promise<void>(() => {});
    const started = performance.now();
    await firstIndex({ whenSearchable: () => never }, 30);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });
});
