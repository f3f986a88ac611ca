import { readFileSync } from 'node:fs';
import { renderChat, type Chat } from '../../scripts/readme-picture/render.js';
import { buildScene, NOW } from '../../scripts/readme-picture/scene.js';
import { parseMarkdown, relativeTime, runsWidth, wrap } from '../../scripts/readme-picture/text.js';

const PICTURE = 'docs/images/discord-preview.svg';

/**
 * Why `doc` is not well-formed XML, or undefined when it is: one root element, tags that
 * nest and close, quoted attributes without `<`, each at most once, and `&` only in
 * references. A small checker instead of an XML parser dependency.
 */
function xmlProblem(doc: string): string | undefined {
  const stack: string[] = [];
  let roots = 0;
  const badAmp = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;
  for (const [token] of doc.matchAll(/<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<[^>]*>|[^<]+/g)) {
    if (token.startsWith('<!--') || token.startsWith('<?')) continue;
    if (!token.startsWith('<')) {
      if (stack.length === 0 && token.trim() !== '') return `text outside the root: ${token}`;
      if (badAmp.test(token)) return `a bare & in text: ${token}`;
      continue;
    }
    if (!token.endsWith('>')) return `an unclosed tag: ${token}`;
    const close = /^<\/([A-Za-z_][\w:.-]*)\s*>$/.exec(token);
    if (close) {
      if (stack.pop() !== close[1]) return `</${close[1]}> closes nothing open`;
      continue;
    }
    const open =
      /^<([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>$/.exec(
        token,
      );
    if (!open) return `a malformed tag: ${token}`;
    const names = [...open[2]!.matchAll(/([A-Za-z_][\w:.-]*)\s*=/g)].map((m) => m[1]);
    if (new Set(names).size !== names.length) return `a repeated attribute: ${token}`;
    if (badAmp.test(open[2]!)) return `a bare & in an attribute: ${token}`;
    if (stack.length === 0 && ++roots > 1) return 'more than one root element';
    if (open[3] !== '/') stack.push(open[1]!);
  }
  if (stack.length > 0) return `<${stack.join('>, <')}> never closed`;
  return roots === 1 ? undefined : 'no root element';
}

const unescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** The words the picture shows: each <text> element's text, in document order. */
function shownText(svg: string): string {
  const texts = [...svg.matchAll(/<text[^>]*>([\s\S]*?)<\/text>/g)].map((m) =>
    unescape(m[1]!.replace(/<[^>]*>/g, '')),
  );
  return texts.join(' ').replace(/\s+/g, ' ');
}

/** Markdown as the reader sees it: no markers, timestamps as words. */
const plain = (markdown: string) =>
  parseMarkdown(markdown, NOW)
    .map((runs) => runs.map((r) => r.text).join(''))
    .join(' ')
    .replace(/\s+/g, ' ');

describe("the README's picture (docs/images/discord-preview.svg)", () => {
  let scene: Chat;
  let svg: string;
  beforeAll(async () => {
    scene = await buildScene();
    svg = renderChat(scene);
  });

  it('is what `npm run docs:picture` renders from the bot’s messages now', () => {
    const committed = readFileSync(PICTURE, 'utf8').replace(/\r\n/g, '\n');
    expect(
      committed === svg
        ? 'up to date'
        : `${PICTURE} is out of date (the bot's messages changed): run \`npm run docs:picture\` and commit it`,
    ).toBe('up to date');
  });

  it('is well-formed XML', () => {
    expect(xmlProblem(svg)).toBeUndefined();
    // The checker itself finds what it should.
    expect(xmlProblem('<svg><text>a & b</text></svg>')).toMatch(/bare &/);
    expect(xmlProblem('<svg><g></svg>')).toMatch(/closes nothing/);
    expect(xmlProblem('<svg x="1" x="2"/>')).toMatch(/repeated/);
    expect(xmlProblem('<svg/><svg/>')).toMatch(/more than one root/);
  });

  it("shows the bot's own replies and alert: a toggle, a state and a door alert", () => {
    const bodies = scene.channels.flatMap((c) => c.messages.map((m) => m.body));
    const [toggle, state, alert] = bodies.map((b) => b.embeds?.[0]);
    // The story the real commands and alert composer tell for the sample home (the words
    // around it may change: the loop below checks whatever they are).
    expect(toggle?.title).toBe('Kitchen Light is on');
    expect(state).toMatchObject({ title: 'Kitchen Temperature', description: '21.5 °C' });
    expect(alert?.title).toBe('Front Door: on');
    expect(alert?.description).toMatch(/was off · <t:\d+:R>$/);

    // ...and the picture shows every one of their texts.
    const shown = shownText(svg);
    for (const e of bodies.flatMap((b) => b.embeds ?? [])) {
      for (const text of [
        e.title,
        e.description,
        ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
      ]) {
        if (text !== undefined) expect(shown).toContain(plain(text));
      }
      // Discord shows footers as they are, without markdown.
      if (e.footer) expect(shown).toContain(e.footer.text);
    }
    const labels = bodies.flatMap((b) => (b.components ?? []).flatMap((r) => r.components ?? []));
    expect(labels.length).toBeGreaterThan(0);
    for (const button of labels) expect(shown).toContain(button.label);
    expect(shown).toContain('was off · 2 minutes ago');
    expect(shown).toContain('Alice used /ha toggle kitchen');
  });

  it('escapes what it shows: hostile names stay text, and the SVG stays well-formed', () => {
    const nasty = 'Lamp <script>&amp; "quoted" \u0001]]>';
    const drawn = renderChat({
      now: NOW,
      channels: [
        {
          name: '<general>',
          messages: [
            {
              author: { name: 'A&B', avatar: { color: '#ff0000', letter: '<' } },
              at: NOW,
              body: {
                content: nasty,
                embeds: [
                  {
                    title: nasty,
                    fields: [{ name: nasty, value: `\`${nasty}\``, inline: true }],
                    footer: { text: nasty },
                  },
                ],
                components: [{ components: [{ type: 2, label: nasty, style: 1 }] }],
              },
            },
          ],
        },
      ],
    });
    expect(xmlProblem(drawn)).toBeUndefined();
    expect(shownText(drawn)).toContain('Lamp <script>&amp; "quoted" ]]>');
  });
});

describe('the picture’s text handling', () => {
  it('reads the markdown the bot writes', () => {
    expect(parseMarkdown('**Kitchen** `light.k_1` — _missed_ \\*not\\* <t:100:R>', 160)).toEqual([
      [
        { text: 'Kitchen', bold: true },
        { text: ' ' },
        { text: 'light.k_1', code: true },
        { text: ' — ' },
        { text: 'missed', italic: true },
        { text: ' *not* ' },
        { text: 'a minute ago', time: true },
      ],
    ]);
  });

  it('words relative times as Discord does', () => {
    expect(relativeTime(NOW - 10, NOW)).toBe('a few seconds ago');
    expect(relativeTime(NOW - 120, NOW)).toBe('2 minutes ago');
    expect(relativeTime(NOW - 3 * 3600, NOW)).toBe('3 hours ago');
    expect(relativeTime(NOW + 3600, NOW)).toBe('in an hour');
  });

  it('wraps within the width, cutting only words longer than a line', () => {
    const runs = parseMarkdown(`Front door opened ${'x'.repeat(200)} and \`code here\``, NOW)[0]!;
    const lines = wrap(runs, 150, 14);
    expect(lines.length).toBeGreaterThan(3);
    for (const l of lines) expect(runsWidth(l, 14)).toBeLessThanOrEqual(150);
    expect(lines[0]!.map((r) => r.text).join('')).toBe('Front door opened');
    expect(
      lines
        .flat()
        .map((r) => r.text)
        .join(''),
    ).toContain('x'.repeat(10));
  });
});
