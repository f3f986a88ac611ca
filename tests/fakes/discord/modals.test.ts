import { modalSubmitData } from './modals.js';
import { validateBody } from './schemas.js';

const modal = {
  custom_id: 'ha:act:k:0',
  title: 'Note',
  components: [
    {
      type: 18,
      label: 'Note',
      component: { type: 4, custom_id: 'text', style: 2, max_length: 10 },
    },
    { type: 10, content: 'Read me' },
  ],
};

describe('the fake Discord: modals and components', () => {
  it('submits a modal as Discord does: its components with the values, numbered', () => {
    expect(modalSubmitData(modal, { text: 'hello' })).toEqual({
      custom_id: 'ha:act:k:0',
      components: [
        { type: 18, id: 1, component: { type: 4, id: 2, custom_id: 'text', value: 'hello' } },
        { type: 10, id: 3 },
      ],
    });
  });

  it('refuses what the Discord client would not submit', () => {
    expect(() => modalSubmitData(modal, {})).toThrow('required');
    expect(() => modalSubmitData(modal, { text: 'x'.repeat(11) })).toThrow('max_length');
    expect(() => modalSubmitData(modal, { text: 'a', other: 'b' })).toThrow('no text input other');
  });

  it('checks component rules the schema lacks', () => {
    const button = (extra: object) => ({ type: 2, label: 'B', ...extra });
    const codes = (components: object[]) =>
      validateBody('messageCreate', { content: 'x', components }).map((i) => i.code);
    expect(
      codes([
        {
          type: 1,
          components: [button({ style: 1, custom_id: 'a' }), button({ style: 2, custom_id: 'a' })],
        },
      ]),
    ).toContain('COMPONENT_CUSTOM_ID_DUPLICATED');
    expect(
      codes([{ type: 1, components: [button({ style: 5, url: 'https://x.y', custom_id: 'a' })] }]),
    ).toContain('BUTTON_COMPONENT_URL_REQUIRED');
    expect(codes([{ type: 1, components: [button({ style: 1 })] }])).toContain(
      'BUTTON_COMPONENT_CUSTOM_ID_REQUIRED',
    );
    const options = [
      { label: 'A', value: 'v' },
      { label: 'B', value: 'v' },
    ];
    expect(codes([{ type: 1, components: [{ type: 3, custom_id: 's', options }] }])).toContain(
      'SELECT_COMPONENT_OPTION_VALUE_DUPLICATED',
    );
    // A modal with too long a title is refused by Discord's own schema.
    expect(
      validateBody('interactionCallback', { type: 9, data: { ...modal, title: 'x'.repeat(46) } }),
    ).not.toEqual([]);
  });
});
