/**
 * Just enough of voluptuous to reject messages the way HA does, with the same
 * `humanize_error` text ("required key not provided @ data['domain']. Got None").
 */

export type Check = 'str' | 'int' | 'bool' | 'dict' | 'entity_ids' | 'any' | { literal: string };

export interface Schema {
  required: Record<string, Check>;
  optional?: Record<string, Check>;
}

/** Python's repr() of a JSON value, for error texts. */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (typeof value === 'object') {
    const items = Object.entries(value).map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`);
    return `{${items.join(', ')}}`;
  }
  return JSON.stringify(value);
}

function checkValue(check: Check, value: unknown): string | undefined {
  if (check === 'any') return undefined;
  if (typeof check === 'object') return value === check.literal ? undefined : 'not a valid value';
  switch (check) {
    case 'str':
      return typeof value === 'string' ? undefined : 'expected str';
    case 'int':
      return Number.isInteger(value) && (value as number) >= 0 ? undefined : 'expected int';
    case 'bool':
      return typeof value === 'boolean' ? undefined : 'expected bool';
    case 'dict':
      return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? undefined
        : 'expected dict';
    case 'entity_ids':
      return typeof value === 'string' ||
        (Array.isArray(value) && value.every((v) => typeof v === 'string'))
        ? undefined
        : 'Entity IDs should be a comma separated string or a list';
  }
}

/** Returns HA's error text, or undefined when the message fits the schema. */
export function validate(schema: Schema, message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return `expected a dictionary. Got ${pyRepr(message)}`;
  }
  const data = message as Record<string, unknown>;
  const errors: string[] = [];
  const at = (key: string) => `@ data['${key}']. Got ${pyRepr(data[key])}`;
  const known = { ...schema.required, ...schema.optional };
  for (const [key, check] of Object.entries(known)) {
    if (!(key in data)) {
      if (key in schema.required) errors.push(`required key not provided ${at(key)}`);
      continue;
    }
    const problem = checkValue(check, data[key]);
    if (problem !== undefined) errors.push(`${problem} for dictionary value ${at(key)}`);
  }
  for (const key of Object.keys(data)) {
    if (!(key in known)) errors.push(`extra keys not allowed ${at(key)}`);
  }
  return errors.length === 0 ? undefined : errors.sort().join('\n');
}
