import type { Json } from './types.js';

/**
 * A modal submit as Discord sends it (interaction type 5): each component of the modal the
 * bot showed, with what the person typed. Discord numbers components it was not given an
 * `id` for (1, 2, …); a text display comes back as `{type: 10, id}`. The Discord client lets
 * nobody submit a required box left empty, or text longer or shorter than the box allows:
 * a test asking for that is a mistake in the test, so it throws.
 */
export function modalSubmitData(modal: Json, values: Record<string, string>): Json {
  let nextId = 1;
  const used = new Set<string>();
  const idOf = (c: Json) => (typeof c.id === 'number' ? c.id : nextId++);
  const input = (c: Json): Json => {
    if (c.type !== 4)
      throw new Error(`Fake Discord: modal component type ${c.type} is not a text input`);
    const value = values[c.custom_id] ?? '';
    used.add(c.custom_id);
    const required = c.required ?? true;
    if (required && value === '')
      throw new Error(
        `Fake Discord: ${c.custom_id} is required; Discord would not submit the modal`,
      );
    if (value !== '' && value.length < (c.min_length ?? 0))
      throw new Error(`Fake Discord: ${c.custom_id} is shorter than min_length ${c.min_length}`);
    if (value.length > (c.max_length ?? 4000))
      throw new Error(`Fake Discord: ${c.custom_id} is longer than max_length ${c.max_length}`);
    return { type: 4, id: idOf(c), custom_id: c.custom_id, value };
  };
  const components = (modal.components as Json[]).map((c): Json => {
    switch (c.type) {
      case 18:
        return { type: 18, id: idOf(c), component: input(c.component) };
      case 1:
        return { type: 1, id: idOf(c), components: (c.components as Json[]).map(input) };
      case 10:
        return { type: 10, id: idOf(c) };
      default:
        throw new Error(`Fake Discord: modal component type ${c.type} is not supported here`);
    }
  });
  const unknown = Object.keys(values).filter((k) => !used.has(k));
  if (unknown.length > 0)
    throw new Error(`Fake Discord: the modal has no text input ${unknown.join(', ')}`);
  return { custom_id: modal.custom_id, components };
}

/** The component with this custom id in a message's components, or undefined. */
export function findComponent(node: unknown, customId: string): Json | undefined {
  if (Array.isArray(node)) {
    for (const n of node) {
      const found = findComponent(n, customId);
      if (found) return found;
    }
    return undefined;
  }
  if (!node || typeof node !== 'object') return undefined;
  const c = node as Json;
  if (c.custom_id === customId) return c;
  return findComponent(c.components, customId) ?? findComponent(c.accessory, customId);
}
