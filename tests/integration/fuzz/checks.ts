import type { Json, RecordedRequest } from '../../fakes/discord/fake-discord.js';

/** Callback types whose `data` is a message: reply (4) and update (7). */
const MESSAGE_CALLBACKS = new Set([4, 7]);

/** The message a request carries (a channel message, reply, update, edit or follow-up), if any. */
export function messageOf(request: RecordedRequest): Json | undefined {
  const { method, path, body } = request;
  if (body === undefined || Array.isArray(body)) return undefined;
  if (path.endsWith('/callback'))
    return MESSAGE_CALLBACKS.has(body.type) ? ((body.data ?? {}) as Json) : undefined;
  if (path.startsWith('/webhooks/') && (method === 'POST' || method === 'PATCH')) return body;
  if (/^\/channels\/\d+\/messages(\/\d+)?$/.test(path) && (method === 'POST' || method === 'PATCH'))
    return body;
  return undefined;
}

/** Who a message may ping: nobody, except the roles and users an alert rule names. */
export interface MentionAllowance {
  roles: readonly string[];
  users: readonly string[];
}

/**
 * Problems with a message's `allowed_mentions`: it must be present (discord.js sends the
 * client default), parse nothing (no @everyone, no role or user mention in text pings), and
 * name only the roles and users a rule names; interaction messages may name none.
 */
export function mentionProblems(request: RecordedRequest, alerts: MentionAllowance): string[] {
  const message = messageOf(request);
  if (message === undefined) return [];
  const where = `${request.method} ${request.path.replace(/\/webhooks\/(\d+)\/[^/]+/, '/webhooks/$1/:token')}`;
  const am = request.allowedMentions;
  if (am === undefined || am === null) return [`${where}: no allowed_mentions`];
  const problems: string[] = [];
  const parse: unknown[] = Array.isArray(am.parse) ? am.parse : [];
  if (!Array.isArray(am.parse)) problems.push(`${where}: allowed_mentions.parse missing`);
  if (parse.length > 0) problems.push(`${where}: allowed_mentions.parse ${JSON.stringify(parse)}`);
  const channel = request.path.startsWith('/channels/');
  const roles: string[] = am.roles ?? [];
  const users: string[] = am.users ?? [];
  for (const role of roles)
    if (!channel || !alerts.roles.includes(role)) problems.push(`${where}: may ping role ${role}`);
  for (const user of users)
    if (!channel || !alerts.users.includes(user)) problems.push(`${where}: may ping user ${user}`);
  return problems;
}

/** Text Discord renders with markdown: content, embed titles, descriptions and fields. */
function renderedTexts(message: Json): string[] {
  const texts: string[] = [];
  if (typeof message.content === 'string') texts.push(message.content);
  for (const embed of Array.isArray(message.embeds) ? (message.embeds as Json[]) : []) {
    for (const t of [embed?.title, embed?.description]) if (typeof t === 'string') texts.push(t);
    for (const f of Array.isArray(embed?.fields) ? (embed.fields as Json[]) : [])
      for (const t of [f?.name, f?.value]) if (typeof t === 'string') texts.push(t);
  }
  return texts;
}

/** Text shown as is (no markdown): footers, menu labels, placeholders and descriptions. */
function plainTexts(message: Json): string[] {
  const texts: string[] = [];
  for (const embed of Array.isArray(message.embeds) ? (message.embeds as Json[]) : [])
    if (typeof embed?.footer?.text === 'string') texts.push(embed.footer.text);
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const c = node as Json;
    for (const t of [c.label, c.placeholder, c.description])
      if (typeof t === 'string') texts.push(t);
    walk(c.components);
    walk(c.options);
  };
  walk(message.components);
  return texts;
}

/** Every text a person sees in a message (embed authors too); never ids, nonces or custom ids. */
export function shownTexts(message: Json): string[] {
  const authors = (Array.isArray(message.embeds) ? (message.embeds as Json[]) : [])
    .map((e): unknown => e?.author?.name)
    .filter((t): t is string => typeof t === 'string');
  return [...renderedTexts(message), ...plainTexts(message), ...authors];
}

/**
 * The text as Discord's markdown sees it outside code: code spans and blocks (shown
 * verbatim) become a space, and an escaped character an inert placeholder. Inside code a
 * backslash is literal, and a span ends at the next run of as many backticks.
 */
export function outsideCode(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\\' && i + 1 < text.length && !/[0-9A-Za-z\s]/.test(text[i + 1]!)) {
      out += 'x';
      i += 2;
    } else if (ch === '`') {
      let run = 1;
      while (text[i + run] === '`') run++;
      const close = text.indexOf('`'.repeat(run), i + run);
      out += close === -1 ? 'x'.repeat(run) : ' ';
      i = close === -1 ? i + run : close + run;
    } else {
      out += ch;
      i += 1;
    }
  }
  return out;
}

// Characters that hide or reorder text: C0 controls (but tab and newline), DEL, bidi controls.
// eslint-disable-next-line no-control-regex
const HIDING = /[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/;

const MARKDOWN_TRAPS: readonly [RegExp, string][] = [
  [/(?<!\\)\[[^\]\n]*\]\(\s*<?https?:/, 'a masked link'],
  [/@(everyone|here)/, 'a literal @everyone/@here'],
  [/<@[!&]?\d+>/, 'a user or role mention'],
  [/^\s{0,3}#{1,3}\s/m, 'a heading'],
  [/^\s*-#\s/m, 'subtext'],
  [/^\s*>/m, 'a block quote'],
];

/**
 * Markdown that came from outside and renders: the bot escapes names and input it echoes,
 * so none of these may appear outside code spans, and no hidden characters anywhere. Role
 * and user pings in an alert's content are the rule's own and allowed.
 */
export function textProblems(request: RecordedRequest, alerts: MentionAllowance): string[] {
  const message = messageOf(request);
  if (message === undefined) return [];
  const problems: string[] = [];
  const where = `${request.method} ${request.path.split('/').slice(0, 3).join('/')}`;
  const ruleMentions = new Set([
    ...alerts.roles.map((id) => `<@&${id}>`),
    ...alerts.users.map((id) => `<@${id}>`),
  ]);
  for (const text of renderedTexts(message)) {
    let visible = outsideCode(text);
    if (request.path.startsWith('/channels/'))
      for (const m of ruleMentions) visible = visible.split(m).join(' ');
    for (const [pattern, what] of MARKDOWN_TRAPS)
      if (pattern.test(visible))
        problems.push(`${where}: ${what} in ${JSON.stringify(text.slice(0, 300))}`);
  }
  for (const text of [...renderedTexts(message), ...plainTexts(message)])
    if (HIDING.test(text))
      problems.push(`${where}: a hidden character in ${JSON.stringify(text.slice(0, 300))}`);
  return problems;
}

/** Autocomplete choices are plain text, but must not hide or reorder what they say. */
export function choiceProblems(request: RecordedRequest): string[] {
  if (!request.path.endsWith('/callback') || request.body?.type !== 8) return [];
  const choices: Json[] = request.body.data?.choices ?? [];
  return choices
    .filter((c) => typeof c.name === 'string' && HIDING.test(c.name))
    .map((c) => `autocomplete: a hidden character in choice ${JSON.stringify(c.name)}`);
}
