import { EventEmitter } from 'node:events';
import { Events, type Client } from 'discord.js';
import { followGateway } from '../../../src/discord/gateway-status.js';

function fakeClient(ready: boolean) {
  const client = Object.assign(new EventEmitter(), { isReady: () => ready });
  return client as unknown as Client & EventEmitter;
}

describe('followGateway: the one tracker of the gateway', () => {
  it('starts from the client, follows its events, and tells its listeners after updating', () => {
    const client = fakeClient(false);
    const gateway = followGateway(client);
    expect(gateway.up).toBe(false);
    const heard: [boolean, boolean][] = [];
    const release = gateway.on((up) => heard.push([up, gateway.up]));
    client.emit(Events.ShardReady);
    client.emit(Events.ShardDisconnect);
    client.emit(Events.ShardResume);
    client.emit(Events.ShardReconnecting);
    expect(heard).toEqual([
      [true, true],
      [false, false],
      [true, true],
      [false, false],
    ]);
    release();
    client.emit(Events.ShardReady);
    expect(heard).toHaveLength(4);
    expect(gateway.up).toBe(true);
  });

  it('is up at once when the client already is', () => {
    expect(followGateway(fakeClient(true)).up).toBe(true);
  });
});
