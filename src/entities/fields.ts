import type { CatalogEntry } from './entry.js';

// A word found in the name counts for more than one found in the id, which beats the area.
export const FIELD_WEIGHTS = { name: 1, aliases: 1, objectId: 0.95, id: 0.9, area: 0.7 } as const;

export type Folded = Pick<
  CatalogEntry,
  'foldedName' | 'idHead' | 'idTail' | 'foldedArea' | 'foldedAliases'
>;

/**
 * Every folded field of an entry in one string ('|' between them): a word (no ' ' or '|' in
 * it) absent here matches no field. The search index keeps these, one after another, in one
 * string. The id is its two parts (see idHead), and its tail is left out when it is the
 * name, which comes first (most entries: "kitchen light|light|kitchen" for light.kitchen_light
 * named Kitchen Light in the Kitchen): the same words, in the same order of first appearance,
 * in a string a third shorter.
 */
export function haystackOf(e: Folded): string {
  const tail = e.idTail;
  const id = tail === '' || tail === e.foldedName ? e.idHead : `${e.idHead}|${tail}`;
  return e.foldedAliases.length === 0
    ? `${e.foldedName}|${id}|${e.foldedArea}`
    : [e.foldedName, id, e.foldedArea, ...e.foldedAliases].join('|');
}

/** Whether `word` (no ' ' or '|' in it) is in one of the entry's folded fields. */
export function inFields(e: Folded, word: string): boolean {
  const aliases = e.foldedAliases;
  return (
    e.foldedName.includes(word) ||
    e.idHead.includes(word) ||
    (e.idTail !== '' && e.idTail.includes(word)) ||
    e.foldedArea.includes(word) ||
    (aliases.length > 0 && someIncludes(aliases, word))
  );
}

/** aliases.some((a) => a.includes(word)), without a closure made per entry read. */
function someIncludes(texts: readonly string[], word: string): boolean {
  for (let i = 0; i < texts.length; i++) if (texts[i]!.includes(word)) return true;
  return false;
}
