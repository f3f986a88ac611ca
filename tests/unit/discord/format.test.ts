import { alertEmbed, summaryEmbed } from '../../../src/discord/alert-format.js';
import { joinWithin, LIMITS, safe, stateEmbed } from '../../../src/discord/format.js';
import { makeCatalog } from '../../helpers/catalog.js';
import { alertOf } from '../../helpers/outbox-rows.js';

describe('formatting', () => {
  it('neutralises markdown, mentions and control characters from HA names', () => {
    const out = safe('**bold** @everyone <@123> \u202eevil\u0007', 100);
    expect(out).not.toContain('@everyone');
    expect(out).toContain('\\*\\*bold\\*\\*');
    expect(out).not.toContain('\u202e');
    expect(out).not.toContain('\u0007');
  });

  it('escapes every masked link, and line-start markdown on every line', () => {
    const link = '[pwned](https://evil.invalid)';
    expect(safe(`${link} and ${link}`, 200)).toBe(
      '\\[pwned\\](https://evil.invalid) and \\[pwned\\](https://evil.invalid)',
    );
    expect(safe('\\[x](https://evil.invalid)', 100)).toBe('\\\\\\[x\\](https://evil.invalid)');
    const lines = safe('First\n# Big\n> quote\n-# small\n- item\n1. one', 200).split('\n');
    expect(lines).toEqual(['First', '\\# Big', '\\> quote', '\\-# small', '\\- item', '1\\. one']);
  });

  it('cuts long text to the limit, escaped, without splitting a character', () => {
    expect(safe('😀'.repeat(50_000), 9)).toBe('😀😀😀😀…');
    expect(safe('*'.repeat(50_000), 9)).toBe('\\*\\*\\*\\*…');
    expect(safe('abc', 3)).toBe('abc');
  });

  it('builds a state embed with unit, area, relative time and useful attributes', () => {
    const { catalog, store } = makeCatalog(
      [
        {
          id: 'sensor.temp',
          name: 'Temp',
          area: 'k',
          state: '21.5',
          attributes: { unit_of_measurement: '°C', device_class: 'temperature', icon: 'mdi:x' },
        },
      ],
      [{ id: 'k', name: 'Kitchen' }],
    );
    const embed = stateEmbed(catalog.get('sensor.temp')!, store.get('sensor.temp')!);
    expect(embed.title).toBe('Temp');
    expect(embed.description).toBe('21.5 °C');
    const fields = Object.fromEntries(embed.fields!.map((f) => [f.name, f.value]));
    expect(fields).toMatchObject({
      Area: 'Kitchen',
      'Last changed': '<t:1700000000:R>',
      'device class': 'temperature',
    });
    expect(fields).not.toHaveProperty('icon');
  });

  it("never shows an attribute that carries a credential, such as a camera's access token", () => {
    const { catalog, store } = makeCatalog([
      {
        id: 'camera.front_door',
        state: 'idle',
        attributes: {
          access_token: 'camera-access-token-123',
          api_key: 'key-456',
          brand: 'Acme',
        },
      },
    ]);
    const embed = stateEmbed(catalog.get('camera.front_door')!, store.get('camera.front_door')!);
    const text = JSON.stringify(embed);
    expect(text).not.toContain('camera-access-token-123');
    expect(text).not.toContain('key-456');
    expect(embed.fields!.map((f) => f.name)).toContain('brand');
  });

  it('shows state words without underscores, and a picture Discord can fetch', () => {
    const { catalog, store } = makeCatalog([
      {
        id: 'alarm_control_panel.house',
        state: 'armed_night',
        attributes: { entity_picture: 'https://example.com/alarm.png' },
      },
      { id: 'person.anna', state: 'not_home', attributes: { entity_picture: '/api/image/x' } },
    ]);
    const alarm = stateEmbed(
      catalog.get('alarm_control_panel.house')!,
      store.get('alarm_control_panel.house')!,
    );
    expect(alarm.description).toBe('armed night');
    expect(alarm.thumbnail?.url).toBe('https://example.com/alarm.png');
    // A path on HA itself: Discord cannot fetch it from a home network.
    const anna = stateEmbed(catalog.get('person.anna')!, store.get('person.anna')!);
    expect(anna.description).toBe('not home');
    expect(anna.thumbnail).toBeUndefined();
  });

  it('shows a dash for an empty state, name or attribute, which Discord would refuse', () => {
    const { catalog, store } = makeCatalog([
      {
        id: 'input_text.note',
        name: '\u202e',
        state: '',
        attributes: { '': 'x', '\u0000': ' ', empty: '' },
      },
    ]);
    const embed = stateEmbed(catalog.get('input_text.note')!, store.get('input_text.note')!);
    expect(embed.title).toBe('—');
    expect(embed.description).toBe('—');
    for (const f of embed.fields!) {
      expect(f.name.trim()).not.toBe('');
      expect(f.value.trim()).not.toBe('');
    }
  });

  it('keeps huge attributes within embed limits', () => {
    const attributes = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`attr_${i}`, 'v'.repeat(5000)]),
    );
    const { catalog, store } = makeCatalog([
      { id: 'sensor.big', name: 'N'.repeat(400), attributes },
    ]);
    const embed = stateEmbed(catalog.get('sensor.big')!, store.get('sensor.big')!);
    expect(embed.title!.length).toBeLessThanOrEqual(LIMITS.title);
    expect(embed.fields!.length).toBeLessThanOrEqual(LIMITS.fields);
    const total = JSON.stringify(embed).length;
    expect(total).toBeLessThan(LIMITS.embedTotal * 4);
    for (const f of embed.fields!) expect(f.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
  });

  it('joins lines within a limit and says how many were left out', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i} ${'x'.repeat(50)}`);
    const out = joinWithin(lines, 1000);
    expect(out.length).toBeLessThanOrEqual(1000);
    expect(out).toMatch(/…and \d+ more$/);
  });

  it('formats alerts and summaries', () => {
    const alert = alertOf({
      ruleName: 'temps',
      entityId: 'sensor.temp',
      name: 'Temp',
      areaName: 'Kitchen',
      from: '20',
      to: '21',
      unit: '°C',
      at: 100,
    });
    expect(alertEmbed(alert)).toMatchObject({
      title: 'Temp: 21 °C',
      description: 'was 20 °C · <t:100:R>',
      footer: { text: 'sensor.temp · Kitchen · temps' },
    });
    expect(alertEmbed({ ...alert, missed: true }).description).toContain(
      'Missed while the bot was disconnected',
    );
    expect(alertEmbed({ ...alert, missed: true, missedWhile: 'bot_offline' }).description).toBe(
      'was 20 °C · <t:100:R>\n_Changed while the bot was offline._',
    );
    const back = { ...alert, from: 'on', to: 'on', unit: undefined, missed: true };
    expect(
      alertEmbed({ ...back, changedAndBack: true, missedWhile: 'ha_restart', via: ['off'] })
        .description,
    ).toBe('Changed while Home Assistant restarted: on → off → on (last change <t:100:R>).');
    // An alert queued by an older version: no reason, no values in between.
    expect(alertEmbed({ ...back, changedAndBack: true }).description).toBe(
      'Changed while the bot was disconnected: on → … → on (last change <t:100:R>).',
    );
    const many = summaryEmbed(
      Array.from({ length: 300 }, (_, i) => ({
        ...alert,
        id: `a${i}`,
        entityId: `sensor.t${i % 100}`,
        at: 100 + i / 30,
      })),
    );
    expect(many.title).toBe('300 changes in the last 10 s');
    expect(many.description!.length).toBeLessThanOrEqual(LIMITS.description);
    expect(many.description).toContain('(3 changes)');
  });
});
