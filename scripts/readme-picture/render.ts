/**
 * Draws Discord messages (content, embeds and buttons, as the bot sends them) as an SVG that
 * looks like Discord's dark theme. Deterministic: the same messages give the same bytes.
 * Fonts are the viewer's (an SVG in a README cannot load any), so every run of text is laid
 * out with estimated widths and pinned to them with `textLength`.
 */
import { ButtonStyle, type APIEmbed } from 'discord.js';
import {
  clockTime,
  codePad,
  parseMarkdown,
  runsWidth,
  textWidth,
  TIME_PAD,
  wrap,
  CODE_SCALE,
  type Run,
} from './text.js';

/** Who wrote a message: the bot (its house avatar) or a person (a letter on a colour). */
export interface Author {
  name: string;
  avatar: 'bot' | { color: string; letter: string };
  bot?: boolean;
}

interface ButtonJson {
  type?: number;
  label?: string;
  style?: number;
}

/** A message as the bot sends it to Discord (reply options or a REST message body). */
export interface MessageBody {
  content?: string;
  embeds?: readonly APIEmbed[];
  components?: readonly { components?: readonly ButtonJson[] }[];
}

export interface ChatMessage {
  author: Author;
  /** Epoch seconds. */
  at: number;
  /** The slash command this message answers: "Alice used /ha toggle kitchen". */
  command?: { user: Author; text: string };
  body: MessageBody;
}

export interface ChatChannel {
  name: string;
  messages: ChatMessage[];
}

export interface Chat {
  /** Epoch seconds that `<t:N:R>` timestamps are relative to. */
  now: number;
  channels: ChatChannel[];
}

export const SANS = "'gg sans','Noto Sans','Helvetica Neue',Helvetica,Arial,sans-serif";
export const MONO =
  "Consolas,'Andale Mono WT','Andale Mono','Lucida Console','DejaVu Sans Mono','Liberation Mono',Menlo,Monaco,'Courier New',monospace";

// Discord's dark theme.
const C = {
  chat: '#313338',
  embed: '#2b2d31',
  embedCode: '#1e1f22',
  divider: '#1f2023',
  header: '#f2f3f5',
  text: '#dbdee1',
  muted: '#949ba4',
  interactive: '#b5bac1',
  hash: '#80848e',
  link: '#00a8fc',
  spine: '#4e5058',
  blurple: '#5865f2',
  timePill: '#3f4147',
  botAvatar: '#18bcf2',
} as const;

const BUTTON_COLORS: Record<number, string> = {
  [ButtonStyle.Primary]: '#5865f2',
  [ButtonStyle.Secondary]: '#4e5058',
  [ButtonStyle.Success]: '#248046',
  [ButtonStyle.Danger]: '#da373c',
  [ButtonStyle.Link]: '#4e5058',
};

export const WIDTH = 680;
const RADIUS = 12;
const HEADER = 48;
const AVATAR_X = 16;
const CONTENT_X = 72;
/** Discord's embeds are at most 520 px wide: a 4 px bar, 12 px and 16 px of padding. */
const EMBED_MAX = 520;
const EMBED_PAD = { top: 8, right: 16, bottom: 16, left: 12, bar: 4, gap: 8 };

// Characters XML 1.0 does not allow, and lone surrogates.
const NOT_XML =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text made safe for XML content and attribute values. */
export function xml(text: string): string {
  return text
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** Numbers as short as they can be written, the same on every machine. */
const n = (v: number) => String(Math.round(v * 100) / 100);

const colorOf = (value: number | undefined) =>
  value === undefined ? C.embedCode : `#${value.toString(16).padStart(6, '0')}`;

/** A text box's baseline: the text centred in its line, as CSS does. */
const baseline = (top: number, lineHeight: number, size: number) =>
  top + (lineHeight - size) / 2 + size * 0.78;

interface TextOptions {
  size: number;
  lineHeight: number;
  fill: string;
  weight?: number;
  /** The colour of inline code's box (Discord's differs in and out of embeds). */
  codeBox?: string;
}

/**
 * One line of runs at (x, top): each run pinned to its estimated width, inline code on its
 * box, timestamps on their pill. Returns the SVG and the line's width.
 */
function line(runs: readonly Run[], x: number, top: number, o: TextOptions): string {
  const boxes: string[] = [];
  const spans: string[] = [];
  const y = baseline(top, o.lineHeight, o.size);
  let at = x;
  for (const run of runs) {
    const size = run.code ? o.size * CODE_SCALE : o.size;
    const pad = run.code ? codePad(o.size) : run.time ? TIME_PAD : 0;
    const width = textWidth(run.text, o.size, run);
    if (run.code || run.time) {
      boxes.push(
        `<rect x="${n(at)}" y="${n(top + 1)}" width="${n(width + 2 * pad)}" height="${n(o.lineHeight - 2)}" rx="3" fill="${run.code ? (o.codeBox ?? C.embedCode) : C.timePill}"/>`,
      );
    }
    const attrs = [
      `x="${n(at + pad)}"`,
      `textLength="${n(width)}"`,
      'lengthAdjust="spacing"',
      run.code ? `font-family="${MONO}" font-size="${n(size)}"` : '',
      run.bold ? 'font-weight="700"' : '',
      run.italic ? 'font-style="italic"' : '',
    ].filter(Boolean);
    spans.push(`<tspan ${attrs.join(' ')}>${xml(run.text)}</tspan>`);
    at += width + 2 * pad;
  }
  const weight = o.weight ? ` font-weight="${o.weight}"` : '';
  return (
    boxes.join('') +
    `<text y="${n(y)}" font-size="${o.size}" fill="${o.fill}"${weight} xml:space="preserve">${spans.join('')}</text>`
  );
}

/** Markdown as lines of runs; in a bold block (a title, a field name) every run is bold. */
function markdownLines(markdown: string, now: number, o: TextOptions): Run[][] {
  const lines = parseMarkdown(markdown, now);
  return (o.weight ?? 400) >= 600
    ? lines.map((runs) => runs.map((r) => ({ ...r, bold: true })))
    : lines;
}

/** Markdown wrapped to `width`: the SVG and the height it takes. */
function paragraph(
  markdown: string,
  x: number,
  top: number,
  width: number,
  now: number,
  o: TextOptions,
): { svg: string; height: number } {
  const lines = markdownLines(markdown, now, o).flatMap((runs) => wrap(runs, width, o.size));
  return {
    svg: lines.map((runs, i) => line(runs, x, top + i * o.lineHeight, o)).join(''),
    height: lines.length * o.lineHeight,
  };
}

/** The widest line of some markdown, unwrapped. */
const naturalWidth = (markdown: string, now: number, o: TextOptions) =>
  Math.max(0, ...markdownLines(markdown, now, o).map((runs) => runsWidth(runs, o.size)));

const TITLE: TextOptions = { size: 16, lineHeight: 22, fill: C.header, weight: 600 };
const DESCRIPTION: TextOptions = { size: 14, lineHeight: 18, fill: C.text };
const FIELD_NAME: TextOptions = { size: 14, lineHeight: 18, fill: C.header, weight: 600 };
const FIELD_VALUE: TextOptions = { size: 14, lineHeight: 18, fill: C.text };
const FOOTER: TextOptions = { size: 12, lineHeight: 16, fill: C.text, weight: 500 };

/** Fields as Discord lays them out: up to three inline fields a row, others a row each. */
function fieldRows(fields: NonNullable<APIEmbed['fields']>) {
  const rows: { name: string; value: string; inline: boolean }[][] = [];
  for (const f of fields) {
    const last = rows[rows.length - 1];
    const field = { name: f.name, value: f.value, inline: f.inline === true };
    if (field.inline && last && last.length < 3 && last.every((x) => x.inline)) last.push(field);
    else rows.push([field]);
  }
  return rows;
}

/** One embed at (x, top): its colour bar, title, description, fields and footer. */
function embed(e: APIEmbed, x: number, top: number, now: number) {
  const pad = EMBED_PAD;
  const maxInner = EMBED_MAX - pad.bar - pad.left - pad.right;
  const rows = fieldRows(e.fields ?? []);
  const columnNeed = Math.max(
    0,
    ...rows
      .flat()
      .map((f) =>
        Math.max(naturalWidth(f.name, now, FIELD_NAME), naturalWidth(f.value, now, FIELD_VALUE)),
      ),
  );
  const need = Math.max(
    e.title ? naturalWidth(e.title, now, TITLE) : 0,
    e.description ? naturalWidth(e.description, now, DESCRIPTION) : 0,
    e.footer ? textWidth(e.footer.text, FOOTER.size) : 0,
    rows.some((r) => r.length > 1 || r[0]?.inline) ? 3 * columnNeed + 2 * pad.gap : columnNeed,
  );
  const inner = Math.min(maxInner, Math.ceil(need) + 1);
  const column = (inner - 2 * pad.gap) / 3;
  const left = x + pad.bar + pad.left;
  const parts: string[] = [];
  let y = top + pad.top;
  const block = (p: { svg: string; height: number }) => {
    parts.push(p.svg);
    y += p.height;
  };
  if (e.title) {
    y += pad.gap;
    block(paragraph(e.title, left, y, inner, now, TITLE));
  }
  if (e.description) {
    y += pad.gap;
    block(paragraph(e.description, left, y, inner, now, DESCRIPTION));
  }
  if (rows.length > 0) {
    y += pad.gap;
    rows.forEach((row, i) => {
      if (i > 0) y += pad.gap;
      let rowHeight = 0;
      row.forEach((f, j) => {
        const fx = left + j * (column + pad.gap);
        const width = f.inline ? column : inner;
        const name = paragraph(f.name, fx, y, width, now, FIELD_NAME);
        const value = paragraph(f.value, fx, y + name.height + 2, width, now, FIELD_VALUE);
        parts.push(name.svg, value.svg);
        rowHeight = Math.max(rowHeight, name.height + 2 + value.height);
      });
      y += rowHeight;
    });
  }
  if (e.footer) {
    y += pad.gap;
    // Discord shows a footer as it is: no markdown.
    const runs = [{ text: e.footer.text }];
    const lines = wrap(runs, inner, FOOTER.size);
    lines.forEach((l, i) => parts.push(line(l, left, y + i * FOOTER.lineHeight, FOOTER)));
    y += lines.length * FOOTER.lineHeight;
  }
  y += pad.bottom;
  const w = pad.bar + pad.left + inner + pad.right;
  const h = y - top;
  const r = 4;
  const b = x + pad.bar;
  const shape =
    `<path d="M${n(b)} ${n(top)}H${n(x + w - r)}A${r} ${r} 0 0 1 ${n(x + w)} ${n(top + r)}V${n(top + h - r)}A${r} ${r} 0 0 1 ${n(x + w - r)} ${n(top + h)}H${n(b)}Z" fill="${C.embed}"/>` +
    `<path d="M${n(b)} ${n(top)}V${n(top + h)}H${n(x + r)}A${r} ${r} 0 0 1 ${n(x)} ${n(top + h - r)}V${n(top + r)}A${r} ${r} 0 0 1 ${n(x + r)} ${n(top)}Z" fill="${colorOf(e.color)}"/>`;
  return { svg: shape + parts.join(''), height: h };
}

/** A row of buttons at (x, top). */
function buttons(row: readonly ButtonJson[], x: number, top: number): string {
  const parts: string[] = [];
  let at = x;
  for (const b of row) {
    const label = b.label ?? '';
    const textW = textWidth(label, 14, { bold: true }) * 0.95;
    const w = Math.max(60, textW + 32);
    parts.push(
      `<rect x="${n(at)}" y="${n(top)}" width="${n(w)}" height="32" rx="4" fill="${BUTTON_COLORS[b.style ?? ButtonStyle.Secondary] ?? C.spine}"/>`,
      `<text x="${n(at + w / 2)}" y="${n(baseline(top, 32, 14))}" font-size="14" font-weight="500" fill="#ffffff" text-anchor="middle" textLength="${n(textW)}" lengthAdjust="spacing">${xml(label)}</text>`,
    );
    at += w + 8;
  }
  return parts.join('');
}

/** A round avatar: the bot's house, or a person's initial. */
function avatar(a: Author, cx: number, cy: number, r: number): string {
  if (a.avatar === 'bot') {
    const s = r / 20;
    const house = 'M0 -10.5L11 -0.5H8V10H2.5V3.5H-2.5V10H-8V-0.5H-11Z';
    return (
      `<circle cx="${n(cx)}" cy="${n(cy)}" r="${n(r)}" fill="${C.botAvatar}"/>` +
      `<path transform="translate(${n(cx)} ${n(cy)}) scale(${n(s)})" d="${house}" fill="#ffffff"/>`
    );
  }
  return (
    `<circle cx="${n(cx)}" cy="${n(cy)}" r="${n(r)}" fill="${a.avatar.color}"/>` +
    `<text x="${n(cx)}" y="${n(cy + r * 0.36)}" font-size="${n(r)}" font-weight="700" fill="#ffffff" text-anchor="middle">${xml(a.avatar.letter)}</text>`
  );
}

/** One message from the top of its group: reply line, avatar, name, then its body. */
function message(m: ChatMessage, top: number, now: number): { svg: string; height: number } {
  const parts: string[] = [];
  let y = top;
  const avatarR = 20;
  let headerTop = y;
  if (m.command) {
    const mid = y + 11;
    headerTop = y + 22 + 2;
    const ax = AVATAR_X + avatarR;
    parts.push(
      `<path d="M${ax} ${n(headerTop - 4)}V${n(mid + 6)}Q${ax} ${n(mid)} ${ax + 6} ${n(mid)}H${CONTENT_X - 6}" fill="none" stroke="${C.spine}" stroke-width="2"/>`,
      avatar(m.command.user, CONTENT_X + 8, mid, 8),
    );
    const used: Run[] = [
      { text: m.command.user.name, bold: true },
      { text: ' used ' },
      { text: m.command.text },
    ];
    const x = CONTENT_X + 20;
    const spans: string[] = [];
    let at = x;
    const fills = [C.header, C.interactive, C.link];
    used.forEach((run, i) => {
      const w = textWidth(run.text, 14, run);
      spans.push(
        `<tspan x="${n(at)}" textLength="${n(w)}" lengthAdjust="spacing" fill="${fills[i]}"${run.bold ? ' font-weight="600"' : ''}>${xml(run.text)}</tspan>`,
      );
      at += w;
    });
    parts.push(
      `<text y="${n(baseline(y, 22, 14))}" font-size="14" xml:space="preserve">${spans.join('')}</text>`,
    );
  }
  parts.push(avatar(m.author, AVATAR_X + avatarR, headerTop + avatarR, avatarR));
  const nameW = textWidth(m.author.name, 16, { bold: true }) * 0.95;
  const nameY = baseline(headerTop, 22, 16);
  parts.push(
    `<text x="${CONTENT_X}" y="${n(nameY)}" font-size="16" font-weight="600" fill="${C.header}" textLength="${n(nameW)}" lengthAdjust="spacing">${xml(m.author.name)}</text>`,
  );
  let x = CONTENT_X + nameW + 5;
  if (m.author.bot) {
    const badgeW = textWidth('APP', 10, { bold: true }) + 8;
    parts.push(
      `<rect x="${n(x)}" y="${n(headerTop + 4)}" width="${n(badgeW)}" height="15" rx="3" fill="${C.blurple}"/>`,
      `<text x="${n(x + badgeW / 2)}" y="${n(headerTop + 15.5)}" font-size="10" font-weight="700" fill="#ffffff" text-anchor="middle">APP</text>`,
    );
    x += badgeW + 6;
  }
  parts.push(
    `<text x="${n(x)}" y="${n(nameY)}" font-size="12" fill="${C.muted}">Today at ${clockTime(m.at)}</text>`,
  );
  y = headerTop + 22;
  const body = m.body;
  if (body.content) {
    const p = paragraph(body.content, CONTENT_X, y, EMBED_MAX, now, {
      size: 16,
      lineHeight: 22,
      fill: C.text,
      codeBox: C.embed,
    });
    parts.push(p.svg);
    y += p.height;
  }
  for (const e of body.embeds ?? []) {
    y += 4;
    const drawn = embed(e, CONTENT_X, y, now);
    parts.push(drawn.svg);
    y += drawn.height;
  }
  for (const row of body.components ?? []) {
    const list = row.components ?? [];
    if (list.length === 0) continue;
    y += 8;
    parts.push(buttons(list, CONTENT_X, y));
    y += 32;
  }
  return { svg: parts.join('\n'), height: Math.max(y, headerTop + 2 * avatarR) - top };
}

/** A channel's name bar at `top`. */
function channelHeader(name: string, top: number, first: boolean): string {
  return [
    first ? '' : `<rect y="${top}" width="${WIDTH}" height="1" fill="${C.divider}"/>`,
    `<text x="18" y="${top + 32}" font-size="24" fill="${C.hash}">#</text>`,
    `<text x="40" y="${top + 30}" font-size="16" font-weight="600" fill="${C.header}">${xml(name)}</text>`,
    `<rect y="${top + HEADER - 1}" width="${WIDTH}" height="1" fill="${C.divider}"/>`,
    `<rect y="${top + HEADER}" width="${WIDTH}" height="2" fill="#2d2f33"/>`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** What the picture shows, in words: for the SVG's title (screen readers, hover). */
export function describeChat(chat: Chat): string {
  const said = chat.channels.flatMap((c) =>
    c.messages.map((m) => {
      const titles = (m.body.embeds ?? []).map((e) => e.title).filter(Boolean);
      const who = m.command ? `${m.command.user.name} used ${m.command.text}` : 'an alert';
      return `#${c.name}: ${who}: ${titles.join('; ')}`;
    }),
  );
  return `A Discord channel in the dark theme. ${said.join('. ')}.`;
}

/** The whole picture: each channel's header and messages on one rounded dark card. */
export function renderChat(chat: Chat): string {
  const parts: string[] = [];
  let y = 0;
  chat.channels.forEach((channel, i) => {
    parts.push(channelHeader(channel.name, y, i === 0));
    y += HEADER;
    for (const m of channel.messages) {
      y += 16;
      const drawn = message(m, y, chat.now);
      parts.push(drawn.svg);
      y += drawn.height;
    }
    y += 20;
  });
  const height = Math.ceil(y);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${SANS}" role="img">`,
    `<title>${xml(describeChat(chat))}</title>`,
    `<clipPath id="card"><rect width="${WIDTH}" height="${height}" rx="${RADIUS}"/></clipPath>`,
    `<g clip-path="url(#card)">`,
    `<rect width="${WIDTH}" height="${height}" fill="${C.chat}"/>`,
    ...parts,
    '</g>',
    '</svg>',
    '',
  ].join('\n');
}
