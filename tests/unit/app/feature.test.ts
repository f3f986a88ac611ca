import { feature, Features, type Feature } from '../../../src/app/feature.js';
import { createLogger } from '../../../src/logging/logger.js';

const log = createLogger({ level: 'silent', secrets: [] });

/** A feature that writes what happens to it in `events`. */
function recorded(name: string, events: string[], failStop = false): Feature {
  return {
    name,
    start: () => void events.push(`start ${name}`),
    stop() {
      events.push(`stop ${name}`);
      if (failStop) throw new Error(`${name} failed`);
    },
  };
}

describe('Features', () => {
  it('starts in the order listed and stops in reverse, once', async () => {
    const events: string[] = [];
    const app = new Features(
      ['a', 'b', 'c'].map((n) => recorded(n, events)),
      log,
    );
    await app.start();
    await Promise.all([app.stop(), app.stop()]);
    expect(events).toEqual(['start a', 'start b', 'start c', 'stop c', 'stop b', 'stop a']);
  });

  it('stops the rest when one fails to stop', async () => {
    const events: string[] = [];
    const app = new Features([recorded('a', events), recorded('b', events, true)], log);
    await app.start();
    await app.stop();
    expect(events).toEqual(['start a', 'start b', 'stop b', 'stop a']);
  });

  it('stops only what started when stopped while starting', async () => {
    const events: string[] = [];
    let app: Features | undefined = undefined;
    const stopping: Feature = {
      name: 'stops the app',
      start: () => void app!.stop(),
      stop: () => void events.push('stop stopper'),
    };
    app = new Features([recorded('a', events), stopping, recorded('b', events)], log);
    await app.start();
    await app.stop();
    expect(events).toEqual(['start a', 'stop stopper', 'stop a']);
  });
});

describe('feature()', () => {
  it('releases what setup returned, last first, and nothing twice', async () => {
    const released: number[] = [];
    const f = feature('listeners', () => [
      () => void released.push(1),
      undefined,
      () => void released.push(2),
    ]);
    await f.start();
    await f.stop();
    await f.stop();
    expect(released).toEqual([2, 1]);
  });
});
