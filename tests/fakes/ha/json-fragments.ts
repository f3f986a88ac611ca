/**
 * JSON as HA sends its large answers (get_states, the subscribe_entities snapshot, the entity
 * registry's lists): each item's JSON bytes are made once and cached on the item (HA's
 * `State.as_dict_json`, `RegistryEntry.display_json_repr`, ...), and an answer is those bytes
 * joined with commas, not a structure serialised whole on every request.
 */
export interface JoinedJson {
  open: string;
  parts: readonly Buffer[];
  close: string;
}

/** A value's JSON bytes, to cache as a fragment. */
export const jsonBytes = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

/** `"<key>":<value>`, a fragment of an object's members. */
export const memberBytes = (key: string, valueJson: string): Buffer =>
  Buffer.from(`${JSON.stringify(key)}:${valueJson}`);

const COMMA = 0x2c;

/** The bytes of `prefix`, the joined value, then `suffix`, copied once into one buffer. */
export function joinedBytes(json: JoinedJson, prefix = '', suffix = ''): Buffer {
  const open = prefix + json.open;
  const close = json.close + suffix;
  let length = Buffer.byteLength(open) + Buffer.byteLength(close);
  for (const part of json.parts) length += part.length;
  length += Math.max(json.parts.length - 1, 0);
  const bytes = Buffer.allocUnsafe(length);
  let at = bytes.write(open, 0);
  json.parts.forEach((part, i) => {
    if (i > 0) bytes[at++] = COMMA;
    at += part.copy(bytes, at);
  });
  bytes.write(close, at);
  return bytes;
}
