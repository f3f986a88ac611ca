import {
  InteractionResponseType,
  MessageFlags,
  MessagePayload,
  RequestMethod,
  Routes,
  makeURLSearchParams,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  type REST,
  type RawFile,
  type MessageComponentInteraction,
  type RepliableInteraction,
  type RouteLike,
} from 'discord.js';

/**
 * Messages with files (charts, HA's pictures) sent as one multipart Buffer built here, through
 * discord.js' REST (its auth, rate limits and retries), instead of @discordjs/rest's FormData.
 *
 * Why: @discordjs/rest copies every file into a Blob for its FormData, and that copy stays
 * until V8's next full GC, which a run of charts does not bring (+5.4-5.8 MB after 100 charts
 * of 30 days; CONTRIBUTING, Charts). A Buffer body is kept as long by the request's own
 * objects, so once Discord has answered (it has read the whole body) its memory is handed to
 * a throwaway ArrayBuffer, which the next young-generation GC frees.
 */

/** One file of a multipart body: discord.js' resolved files (`MessagePayload#resolveFiles`). */
type UploadFile = Pick<RawFile, 'name' | 'data' | 'contentType' | 'key'>;

/** Image types by their first bytes, as @discordjs/rest finds a file's type when not given. */
const SIGNATURES: readonly (readonly [string, readonly number[]])[] = [
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/gif', [0x47, 0x49, 0x46, 0x38]],
];

function sniffedType(data: Uint8Array): string {
  for (const [type, signature] of SIGNATURES)
    if (signature.every((byte, i) => data[i] === byte)) return type;
  const riff = Buffer.from(data.buffer, data.byteOffset, Math.min(data.byteLength, 12));
  if (riff.toString('latin1', 0, 4) === 'RIFF' && riff.toString('latin1', 8, 12) === 'WEBP')
    return 'image/webp';
  return 'application/octet-stream';
}

/** A multipart/form-data name or filename, escaped as browsers' FormData does. */
const quoted = (value: string) =>
  value.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22');

/**
 * The body @discordjs/rest would send for `files` and `json` (each file as `files[i]`, then
 * `payload_json`), as one Buffer with its own memory, and its Content-Type.
 */
export function multipartBody(
  json: unknown,
  files: readonly UploadFile[],
): { body: Buffer; contentType: string } {
  const boundary = `----ha-discord-bridge-${Date.now().toString(16)}${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  files.forEach((file, index) => {
    const data =
      typeof file.data === 'string' ||
      typeof file.data === 'number' ||
      typeof file.data === 'boolean'
        ? Buffer.from(String(file.data))
        : Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength);
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(file.key ?? `files[${index}]`)}"; filename="${quoted(file.name)}"\r\nContent-Type: ${file.contentType ?? sniffedType(data)}\r\n\r\n`,
      ),
      data,
      Buffer.from('\r\n'),
    );
  });
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="payload_json"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(json)}\r\n--${boundary}--\r\n`,
    ),
  );
  // Its own ArrayBuffer (never Node's shared pool), so that it can be released alone.
  const body = Buffer.allocUnsafeSlow(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) offset += part.copy(body, offset);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Hands a sent body's memory to a throwaway ArrayBuffer: freed by the next minor GC. */
function release(body: Buffer): void {
  const memory = body.buffer as ArrayBuffer;
  structuredClone(memory, { transfer: [memory] });
}

export interface UploadRequest {
  method: RequestMethod;
  route: RouteLike;
  json: unknown;
  files: readonly UploadFile[];
  query?: URLSearchParams;
  /** False for interaction and webhook routes (their token is in the route). */
  auth?: boolean;
}

/** Sends a request with files through `rest`, as `rest[method](route, { body, files })` would. */
export async function upload(rest: REST, request: UploadRequest): Promise<unknown> {
  const { body, contentType } = multipartBody(request.json, request.files);
  const answer = await rest.request({
    method: request.method,
    fullRoute: request.route,
    body,
    passThroughBody: true,
    headers: { 'Content-Type': contentType },
    ...(request.query !== undefined ? { query: request.query } : {}),
    ...(request.auth === false ? { auth: false } : {}),
  });
  // Only after a success: Discord has then read the whole body, so the socket is done with
  // it. After a failure the body is left to the GC (a refusal may come before it is read).
  release(body);
  return answer;
}

type MessageOptions = InteractionReplyOptions | InteractionEditReplyOptions;

/** An interaction that can be answered: a command's, or a press on a message's component. */
type Answerable = RepliableInteraction | MessageComponentInteraction;

const hasFiles = (options: MessageOptions) => (options.files?.length ?? 0) > 0;

/** `interaction.reply(options)`, the files uploaded as above. */
export async function replyWithFiles(
  interaction: Answerable,
  options: InteractionReplyOptions,
): Promise<void> {
  if (!hasFiles(options) || interaction.deferred || interaction.replied) {
    await interaction.reply(options);
    return;
  }
  const { body: data, files } = await MessagePayload.create(
    interaction as RepliableInteraction,
    options,
  )
    .resolveBody()
    .resolveFiles();
  await upload(interaction.client.rest, {
    method: RequestMethod.Post,
    route: Routes.interactionCallback(interaction.id, interaction.token),
    json: { type: InteractionResponseType.ChannelMessageWithSource, data },
    files: files ?? [],
    query: makeURLSearchParams({ with_response: false }),
    auth: false,
  });
  // What interaction.reply records, so that later calls (editReply, followUp) work alike.
  const flags = Number((data as { flags?: unknown } | undefined)?.flags ?? 0);
  interaction.ephemeral = (flags & MessageFlags.Ephemeral) !== 0;
  interaction.replied = true;
}

/**
 * A message of the interaction's webhook (its `@original` edited, or a follow-up) with its
 * files, sent as discord.js' webhook methods send it, the files uploaded as above.
 */
async function webhookUpload(
  interaction: Answerable,
  options: InteractionReplyOptions | InteractionEditReplyOptions,
  method: RequestMethod.Patch | RequestMethod.Post,
): Promise<void> {
  const payload = MessagePayload.create(interaction.webhook, options);
  const { body, files } = await payload.resolveBody().resolveFiles();
  const { id } = interaction.webhook;
  await upload(interaction.client.rest, {
    method,
    route:
      method === RequestMethod.Patch
        ? Routes.webhookMessage(id, interaction.token, '@original')
        : Routes.webhook(id, interaction.token),
    json: body,
    files: files ?? [],
    query: makeURLSearchParams({
      ...(method === RequestMethod.Post ? { wait: true } : {}),
      thread_id: (payload.options as { threadId?: string }).threadId,
      with_components: (payload.options as { withComponents?: boolean }).withComponents,
    }),
    auth: false,
  });
  interaction.replied = true;
}

/** `interaction.editReply(options)` (the `@original` message), the files uploaded as above. */
export async function editReplyWithFiles(
  interaction: Answerable,
  options: InteractionEditReplyOptions,
): Promise<void> {
  if (!hasFiles(options) || (!interaction.deferred && !interaction.replied)) {
    await interaction.editReply(options);
    return;
  }
  await webhookUpload(interaction, options, RequestMethod.Patch);
}

/** `interaction.followUp(options)`, the files uploaded as above. */
export async function followUpWithFiles(
  interaction: Answerable,
  options: InteractionReplyOptions,
): Promise<void> {
  if (!hasFiles(options) || (!interaction.deferred && !interaction.replied)) {
    await interaction.followUp(options);
    return;
  }
  await webhookUpload(interaction, options, RequestMethod.Post);
}
