import type { Actions } from '../../../src/actions/schema.js';
import type { ActionMessage } from '../../../src/alerts/types.js';
import { createLogger } from '../../../src/logging/logger.js';
import type { RowOf } from '../../../src/discord/renderers.js';
import {
  actionRows,
  askModal,
  componentsAfterPress,
  pressedLine,
  renderActionMessage,
} from '../../../src/discord/action-components.js';
import { validateBody } from '../../fakes/discord/schemas.js';
import { outboxRow } from '../../helpers/outbox-rows.js';

const actions: Actions = {
  buttons: [
    { label: 'Open gate', action: 'open', style: 'success', emoji: '🚪' },
    {
      label: 'Note',
      action: 'note',
      ask: { label: 'Your note', placeholder: 'Why?', required: false },
    },
    { label: 'Camera', url: 'https://example.com/cam' },
    { label: 'Party', action: 'p', emoji: '<a:party:123456789012345678>' },
    { label: 'Five', action: 'f' },
    { label: 'Six', action: 's', style: 'danger' },
  ],
  select: {
    action: 'room',
    placeholder: 'Pick a room',
    options: [
      { label: 'Kitchen', value: 'kitchen', emoji: '🍳' },
      { label: 'Hall', value: 'hall', description: 'The long one' },
    ],
  },
  onPress: 'disable',
  expiresMs: undefined,
};

describe('actionable message components', () => {
  it('renders rows of five buttons and a select row that Discord accepts', () => {
    const rows = actionRows('KEY123', actions);
    expect(rows.map((r) => r.components.length)).toEqual([5, 1, 1]);
    expect(rows[0]!.components[3]).toMatchObject({
      emoji: { id: '123456789012345678', name: 'party', animated: true },
      custom_id: 'ha:act:KEY123:3',
    });
    expect(rows[2]!.components[0]).toMatchObject({
      type: 3,
      custom_id: 'ha:act:KEY123:s',
      options: [
        { label: 'Kitchen', value: '0', emoji: { name: '🍳' } },
        { label: 'Hall', value: '1', description: 'The long one' },
      ],
    });
    expect(
      validateBody('messageCreate', { embeds: [{ description: 'x' }], components: rows }),
    ).toEqual([]);
  });

  it('after a press: disables all but links, removes, or keeps', () => {
    const disabled = componentsAfterPress('KEY123', actions)!.components;
    const states = disabled.flatMap((r) =>
      r.components.map((c) => ('disabled' in c ? c.disabled : undefined)),
    );
    expect(states).toEqual([true, true, undefined, true, true, true, true]);
    expect(validateBody('messageEdit', { components: disabled })).toEqual([]);
    expect(componentsAfterPress('KEY123', { ...actions, onPress: 'remove' })).toEqual({
      components: [],
    });
    expect(componentsAfterPress('KEY123', { ...actions, onPress: 'keep' })).toBeUndefined();
  });

  it('says who pressed, at a time each reader sees in their own zone', () => {
    expect(pressedLine('Open gate', 'alice', 1_700_000_000_999)).toBe(
      '**Open gate** · alice · <t:1700000000:t>',
    );
    // Their markdown cannot break the bold.
    expect(pressedLine('**x**', '*bob*', 0)).toBe('**x** · bob · <t:0:t>');
  });

  it('asks for text in a modal Discord accepts', () => {
    const modal = askModal('KEY123', 1, actions.buttons[1]!)!;
    expect(modal).toMatchObject({
      custom_id: 'ha:act:KEY123:1',
      title: 'Note',
      components: [
        {
          type: 18,
          label: 'Your note',
          component: { type: 4, custom_id: 'text', required: false, placeholder: 'Why?' },
        },
      ],
    });
    expect(validateBody('interactionCallback', { type: 9, data: modal })).toEqual([]);
    expect(askModal('KEY123', 0, actions.buttons[0]!)).toBeUndefined();
  });
});

describe('the actionable outbox kind', () => {
  const log = createLogger({ level: 'silent', secrets: [] });
  const images = {
    fetch: () => Promise.resolve({ data: Buffer.from('png'), contentType: 'image/png' }),
    describe: () => 'unreachable',
  };
  const payload: ActionMessage = {
    message: {
      id: 'm1',
      text: 'Someone is at the door',
      title: undefined,
      color: undefined,
      imageEntity: 'camera.door',
      at: 1_700_000_000,
      contextId: 'ctx',
    },
    key: 'KEY123',
    actions,
  };
  const row = (id: number): RowOf<'actionable'> => outboxRow(id, 'actionable', payload);

  it('posts one message per row, its buttons with and without the picture', async () => {
    const rendered = renderActionMessage([row(1), row(2)], images, log);
    expect(rendered.count).toBe(1);
    const request = await rendered.request();
    const rows = actionRows('KEY123', actions);
    expect(request.body.components).toEqual(rows);
    expect(request.files).toHaveLength(1);
    expect(request.withoutFiles?.body.components).toEqual(rows);
    expect(validateBody('messageCreate', request.body)).toEqual([]);
  });
});
