import * as spec from 'discord-api-spec/zod';
import type { ZodMiniType, core } from 'zod/mini';
import {
  autocompleteRules,
  commandRules,
  componentRules,
  messageRules,
  type FormIssue,
} from './discord-rules.js';
import type { Json } from './types.js';

export type { FormIssue } from './discord-rules.js';

/** Request bodies this fake checks, named after what they are in Discord's API. */
export type BodyKind =
  | 'messageCreate'
  | 'messageEdit'
  | 'interactionCallback'
  | 'webhookExecute'
  | 'webhookEdit'
  | 'commandCreate'
  | 'commandBulkOverwrite'
  | 'commandEdit'
  | 'dmCreate'
  | 'threadCreate'
  | 'threadFromMessage'
  | 'forumThreadCreate';

const CALLBACK_SCHEMAS: Record<number, ZodMiniType> = {
  1: spec.PongInteractionCallbackRequestSchema,
  4: spec.CreateMessageInteractionCallbackRequestSchema,
  5: spec.CreateMessageInteractionCallbackRequestSchema,
  6: spec.UpdateMessageInteractionCallbackRequestSchema,
  7: spec.UpdateMessageInteractionCallbackRequestSchema,
  8: spec.ApplicationCommandAutocompleteCallbackRequestSchema,
  9: spec.ModalInteractionCallbackRequestSchema,
  12: spec.LaunchActivityInteractionCallbackRequestSchema,
};

const SCHEMAS: Record<Exclude<BodyKind, 'interactionCallback'>, ZodMiniType> = {
  messageCreate: spec.MessageCreateRequestSchema,
  messageEdit: spec.MessageEditRequestPartialSchema,
  webhookExecute: spec.IncomingWebhookRequestPartialSchema,
  webhookEdit: spec.IncomingWebhookUpdateRequestPartialSchema,
  commandCreate: spec.ApplicationCommandCreateRequestSchema,
  commandBulkOverwrite: spec.ApplicationCommandUpdateRequestSchema,
  commandEdit: spec.ApplicationCommandPatchRequestPartialSchema,
  dmCreate: spec.CreatePrivateChannelRequestSchema,
  threadCreate: spec.CreateTextThreadWithoutMessageRequestSchema,
  threadFromMessage: spec.CreateTextThreadWithMessageRequestSchema,
  forumThreadCreate: spec.CreateForumThreadRequestSchema,
};

/**
 * Discord documents permission bitfields as strings and accepts them so (discord.js sends
 * `default_member_permissions: "32"`); the OpenAPI schema types them as integers.
 */
function asSchemaSees(command: Json): Json {
  const perms: unknown = command?.default_member_permissions;
  return typeof perms === 'string' && /^\d+$/.test(perms)
    ? { ...command, default_member_permissions: Number(perms) }
    : command;
}

/**
 * Every problem with `body`: first against Discord's published OpenAPI schema, then the few
 * limits Discord enforces that the schema does not encode (see discord-rules.ts).
 */
export function validateBody(kind: BodyKind, body: Json): FormIssue[] {
  if (kind === 'commandBulkOverwrite') {
    if (!Array.isArray(body)) return [issue([], 'BASE_TYPE_BAD_TYPE', 'Must be an array.')];
    return body.flatMap((command: Json, i) =>
      schemaIssues(SCHEMAS.commandBulkOverwrite, asSchemaSees(command))
        .concat(commandRules(command))
        .map((x) => ({
          ...x,
          path: [i, ...x.path],
        })),
    );
  }
  if (kind === 'interactionCallback') {
    const schema = CALLBACK_SCHEMAS[body?.type as number];
    if (!schema) {
      return [
        issue(['type'], 'BASE_TYPE_CHOICES', 'Value must be a valid interaction callback type.'),
      ];
    }
    const issues = schemaIssues(schema, body);
    if (body.type === 4 || body.type === 7)
      issues.push(...prefixed(['data'], messageRules(body.data)));
    if (body.type === 8) issues.push(...autocompleteRules(body.data));
    if (body.type === 9 && Array.isArray(body.data?.components))
      issues.push(...prefixed(['data'], componentRules(body.data.components as Json[])));
    return issues;
  }
  const issues = schemaIssues(
    SCHEMAS[kind],
    kind === 'commandCreate' || kind === 'commandEdit' ? asSchemaSees(body) : body,
  );
  if (kind === 'commandCreate') issues.push(...commandRules(body));
  if (kind.startsWith('message') || kind.startsWith('webhook')) issues.push(...messageRules(body));
  // A forum post's first message is a message like any other.
  if (kind === 'forumThreadCreate' && body?.message)
    issues.push(...prefixed(['message'], messageRules(body.message)));
  return issues;
}

/** Discord's 400 answer to an invalid body: `{code: 50035, message, errors}`, errors nested by path. */
export function invalidFormBody(issues: FormIssue[]): Json {
  const errors: Json = {};
  for (const { path, code, message } of issues) {
    let node = errors;
    for (const key of path) node = node[String(key)] ??= {};
    (node._errors ??= []).push({ code, message });
  }
  return { code: 50035, message: 'Invalid Form Body', errors };
}

function schemaIssues(schema: ZodMiniType, body: Json): FormIssue[] {
  const result = schema.safeParse(body);
  return result.success ? [] : result.error.issues.flatMap((i) => toFormIssues(i, [], body));
}

function toFormIssues(zodIssue: core.$ZodIssue, prefix: PropertyKey[], root: Json): FormIssue[] {
  const path = [...prefix, ...zodIssue.path].map((k) => (typeof k === 'number' ? k : String(k)));
  switch (zodIssue.code) {
    case 'invalid_union': {
      // Report the branch that came closest (fewest issues, not a bare type mismatch).
      const branches = zodIssue.errors.filter((b) => !b.every((x) => x.path.length === 0));
      const best = (branches.length ? branches : zodIssue.errors).reduce((a, b) =>
        b.length < a.length ? b : a,
      );
      return best.flatMap((x) => toFormIssues(x, path, root));
    }
    case 'too_big':
      return [
        zodIssue.origin === 'number'
          ? issue(path, 'NUMBER_TYPE_MAX', `Must be less than or equal to ${zodIssue.maximum}.`)
          : issue(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${zodIssue.maximum} or fewer in length.`),
      ];
    case 'too_small':
      return [
        zodIssue.origin === 'number'
          ? issue(path, 'NUMBER_TYPE_MIN', `Must be greater than or equal to ${zodIssue.minimum}.`)
          : issue(path, 'BASE_TYPE_MIN_LENGTH', `Must be ${zodIssue.minimum} or more in length.`),
      ];
    case 'invalid_type':
      return [
        valueAt(root, path) === undefined
          ? issue(path, 'BASE_TYPE_REQUIRED', 'This field is required')
          : issue(path, 'BASE_TYPE_BAD_TYPE', `Expected ${zodIssue.expected}.`),
      ];
    case 'invalid_value':
      return [
        issue(
          path,
          'BASE_TYPE_CHOICES',
          `Value must be one of ${JSON.stringify(zodIssue.values)}.`,
        ),
      ];
    default:
      return [issue(path, zodIssue.code.toUpperCase(), zodIssue.message)];
  }
}

function valueAt(root: Json, path: (string | number)[]): unknown {
  let node = root;
  for (const key of path) node = node?.[key];
  return node;
}

function prefixed(prefix: (string | number)[], issues: FormIssue[]): FormIssue[] {
  return issues.map((x) => ({ ...x, path: [...prefix, ...x.path] }));
}

function issue(path: (string | number)[], code: string, message: string): FormIssue {
  return { path, code, message };
}
