/** SVG's small parts for the chart: text elements, coordinates, escaping. */

/** A `<text>` element at (x, y), its content escaped. */
export function text(
  x: number,
  y: number,
  content: string,
  size: number,
  fill: string,
  opts: { bold?: boolean; anchor?: 'start' | 'middle' | 'end' } = {},
): string {
  const weight = opts.bold ? ' font-weight="bold"' : '';
  const anchor = opts.anchor && opts.anchor !== 'start' ? ` text-anchor="${opts.anchor}"` : '';
  return `<text x="${r(x)}" y="${r(y)}" font-size="${size}" fill="${fill}"${weight}${anchor}>${escapeXml(content)}</text>`;
}

/** A coordinate rounded to a tenth of a pixel: short SVG, no visible change. */
export const r = (n: number) => Math.round(n * 10) / 10;

/** At most `max` characters, an ellipsis where it was cut. */
export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
  );
}
