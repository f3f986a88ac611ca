import { matchIdWord, matchWord } from '../../../src/entities/scoring.js';

describe('matchWord: a word scored by its best place in a field', () => {
  it('scores the whole field, its start, a later word start and inside a word', () => {
    expect(matchWord('door', 'door')).toBe(100);
    expect(matchWord('do', 'door')).toBe(90);
    expect(matchWord('door', 'garden door')).toBe(80);
    expect(matchWord('d', 'garden')).toBe(60);
    expect(matchWord('x', 'garden')).toBe(0);
    expect(matchWord('d', '')).toBe(0);
  });

  it('scores a word first inside a word by a later place where it starts one', () => {
    // Before, only the first place counted: "d" inside "garden" scored 60, though "door" starts with it.
    expect(matchWord('d', 'garden 1 door')).toBe(80);
    expect(matchWord('en', 'garden entrance')).toBe(80);
    expect(matchWord('d', 'garden 1 d ')).toBe(80);
    // Only inside words, however many places.
    expect(matchWord('d', 'garden bedroom')).toBe(60);
    // The field's start is better than a later word's start.
    expect(matchWord('d', 'door garden door')).toBe(90);
  });

  it('scores a word of an id inside a word of its head by where it starts a word of its tail', () => {
    // media_player.den: "d" is inside "media", and starts "den".
    expect(matchIdWord('d', { idHead: 'media player', idTail: 'den' })).toBe(80);
    expect(matchWord('d', 'media player den')).toBe(80);
    expect(matchIdWord('d', { idHead: 'media player', idTail: 'garden' })).toBe(60);
    expect(matchIdWord('m', { idHead: 'media player', idTail: 'den' })).toBe(90);
    expect(matchIdWord('x', { idHead: 'media player', idTail: 'den' })).toBe(0);
  });
});
