import { newAlertId } from '../../../src/alerts/ids.js';

describe('newAlertId', () => {
  it('gives distinct ids of URL-safe characters, short enough for a Discord nonce', () => {
    const ids = Array.from({ length: 10_000 }, newAlertId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of [ids[0]!, ids[ids.length - 1]!]) expect(id).toMatch(/^[A-Za-z0-9_-]{13,25}$/);
  });
});
