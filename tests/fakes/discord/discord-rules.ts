import type { Json } from './types.js';

/**
 * Limits Discord enforces for bots that its published OpenAPI schema does not encode
 * (checked against discord-api-spec 10.0.266135): message content is 4,000 in the schema
 * (the Nitro limit) but 2,000 for bots; the 6,000-character total across embeds; command
 * and option names must be lowercase "-_'letters digits"; a chat-input command's description
 * must not be empty; an autocomplete string choice's value is capped at 100 (6,000 in the schema);
 * an embed field's name and value must not be blank (the schema allows '').
 */
export interface FormIssue {
  path: (string | number)[];
  code: string;
  message: string;
}

const CONTENT_MAX = 2000;
const EMBEDS_TOTAL_MAX = 6000;
const NAME_PATTERN = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

export function messageRules(body: Json): FormIssue[] {
  const issues: FormIssue[] = [];
  if (typeof body?.content === 'string' && body.content.length > CONTENT_MAX) {
    issues.push({
      path: ['content'],
      code: 'BASE_TYPE_MAX_LENGTH',
      message: `Must be ${CONTENT_MAX} or fewer in length.`,
    });
  }
  if (Array.isArray(body?.components)) issues.push(...componentRules(body.components as Json[]));
  if (Array.isArray(body?.embeds)) issues.push(...blankFields(body.embeds as Json[]));
  if (Array.isArray(body?.embeds) && embedsLength(body.embeds) > EMBEDS_TOTAL_MAX) {
    issues.push({
      path: ['embeds'],
      code: 'MAX_EMBED_SIZE_EXCEEDED',
      message: `Embed size exceeds maximum size of ${EMBEDS_TOTAL_MAX}`,
    });
  }
  return issues;
}

/** Discord answers these with 50006 rather than 50035. */
export function isEmptyMessage(body: Json, fileCount: number): boolean {
  const has = (v: unknown) => Array.isArray(v) && v.length > 0;
  return (
    fileCount === 0 &&
    !(typeof body?.content === 'string' && body.content.trim() !== '') &&
    !has(body?.embeds) &&
    !has(body?.components) &&
    !has(body?.sticker_ids) &&
    !body?.poll
  );
}

export function commandRules(command: Json): FormIssue[] {
  const chatInput = (command?.type ?? 1) === 1;
  if (!chatInput) return [];
  const issues = [...nameRules(command, []), ...optionRules(command?.options, ['options'])];
  // Options' descriptions have a minimum in the schema; the command's own does not.
  if (typeof command?.description !== 'string' || command.description.length === 0) {
    issues.push({
      path: ['description'],
      code: 'BASE_TYPE_MIN_LENGTH',
      message: 'Must be 1 or more in length.',
    });
  }
  return issues;
}

function optionRules(options: Json, path: (string | number)[]): FormIssue[] {
  if (!Array.isArray(options)) return [];
  return options.flatMap((option: Json, i) => [
    ...nameRules(option, [...path, i]),
    ...optionRules(option?.options, [...path, i, 'options']),
  ]);
}

function nameRules(entry: Json, path: (string | number)[]): FormIssue[] {
  const name = entry?.name;
  if (typeof name !== 'string' || (NAME_PATTERN.test(name) && name === name.toLowerCase())) {
    return [];
  }
  return [
    {
      path: [...path, 'name'],
      code: 'APPLICATION_COMMAND_INVALID_NAME',
      message: `Command name is invalid: '${name}' (lowercase letters, digits, - _ ', 1-32).`,
    },
  ];
}

export function autocompleteRules(data: Json): FormIssue[] {
  const choices: unknown[] = Array.isArray(data?.choices) ? data.choices : [];
  return choices.flatMap((choice, i) => {
    const value = (choice as { value?: unknown } | null)?.value;
    return typeof value === 'string' && value.length > 100
      ? [
          {
            path: ['data', 'choices', i, 'value'],
            code: 'BASE_TYPE_MAX_LENGTH',
            message: 'Must be 100 or fewer in length.',
          },
        ]
      : [];
  });
}

function embedsLength(embeds: Json[]): number {
  const len = (v: unknown) => (typeof v === 'string' ? v.length : 0);
  return embeds.reduce<number>(
    (sum, e: Json) =>
      sum +
      len(e?.title) +
      len(e?.description) +
      len(e?.footer?.text) +
      len(e?.author?.name) +
      (Array.isArray(e?.fields)
        ? (e.fields as Json[]).reduce<number>((s, f) => s + len(f?.name) + len(f?.value), 0)
        : 0),
    0,
  );
}

/** Discord answers a blank field name or value with "This field is required". */
function blankFields(embeds: Json[]): FormIssue[] {
  return embeds.flatMap((e: Json, i) =>
    (Array.isArray(e?.fields) ? (e.fields as Json[]) : []).flatMap((f: Json, j) =>
      (['name', 'value'] as const)
        .filter((key) => typeof f?.[key] === 'string' && f[key].trim() === '')
        .map((key) => ({
          path: ['embeds', i, 'fields', j, key],
          code: 'BASE_TYPE_REQUIRED',
          message: 'This field is required',
        })),
    ),
  );
}

/**
 * What Discord checks of components beyond the schema: custom ids unique within a message
 * (or modal); a link button (style 5) has a url and no custom id, any other button a custom id
 * and no url; a select menu's option values are unique.
 */
export function componentRules(components: Json[]): FormIssue[] {
  const issues: FormIssue[] = [];
  const seen = new Set<string>();
  const visit = (c: Json, path: (string | number)[]) => {
    if (!c || typeof c !== 'object') return;
    if (typeof c.custom_id === 'string') {
      if (seen.has(c.custom_id))
        issues.push({
          path: [...path, 'custom_id'],
          code: 'COMPONENT_CUSTOM_ID_DUPLICATED',
          message: 'Component custom id cannot be duplicated',
        });
      seen.add(c.custom_id);
    }
    if (c.type === 2) {
      const link = c.style === 5;
      if (link && (c.url === undefined || c.custom_id !== undefined))
        issues.push({
          path,
          code: 'BUTTON_COMPONENT_URL_REQUIRED',
          message: 'A link button needs a url and no custom_id.',
        });
      if (!link && c.style !== 6 && (c.custom_id === undefined || c.url !== undefined))
        issues.push({
          path,
          code: 'BUTTON_COMPONENT_CUSTOM_ID_REQUIRED',
          message: 'A button needs a custom_id and no url.',
        });
    }
    if (c.type === 3 && Array.isArray(c.options)) {
      const values = new Set<string>();
      (c.options as Json[]).forEach((o, i) => {
        if (values.has(o?.value))
          issues.push({
            path: [...path, 'options', i, 'value'],
            code: 'SELECT_COMPONENT_OPTION_VALUE_DUPLICATED',
            message: 'Option values must be unique.',
          });
        values.add(o?.value);
      });
    }
    if (Array.isArray(c.components))
      (c.components as Json[]).forEach((x, i) => visit(x, [...path, 'components', i]));
    if (c.component) visit(c.component as Json, [...path, 'component']);
  };
  components.forEach((c, i) => visit(c, ['components', i]));
  return issues;
}
