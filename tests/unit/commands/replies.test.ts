import { nothingLoadedText } from '../../../src/commands/replies.js';
import type { CommandContext } from '../../../src/commands/types.js';
import type { HaStatus } from '../../../src/ha/types.js';
import { makeCatalog } from '../../helpers/catalog.js';

describe('nothingLoadedText', () => {
  const ctx = (entities: number, status: HaStatus) => ({
    catalog: makeCatalog(
      Array.from({ length: entities }, (_, i) => ({ id: `light.lamp_${i}`, name: `Lamp ${i}` })),
    ).catalog,
    ha: { status } as CommandContext['ha'],
  });
  const connected: HaStatus = {
    kind: 'connected',
    haVersion: '2024.3.3',
    coreState: 'RUNNING',
    restarted: false,
  };

  it('explains an empty home by HA being out of reach', () => {
    expect(nothingLoadedText(ctx(0, { kind: 'disconnected', reason: 'ECONNREFUSED' }))).toBe(
      'Home Assistant is unreachable, reconnecting. Try again in a moment.',
    );
    expect(nothingLoadedText(ctx(0, { kind: 'auth_invalid', message: 'invalid' }))).toMatch(
      /^Home Assistant rejected the bot's access token/,
    );
  });

  it('says nothing once entities are known (they are shown as last known) or HA is up', () => {
    expect(nothingLoadedText(ctx(2, { kind: 'disconnected', reason: 'ECONNREFUSED' }))).toBe(
      undefined,
    );
    expect(nothingLoadedText(ctx(0, connected))).toBe(undefined);
  });
});
