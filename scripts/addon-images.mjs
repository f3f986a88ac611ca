#!/usr/bin/env node
/**
 * Draws the add-on store's pictures, addon/icon.png (128×128) and addon/logo.png (250×100),
 * from a few shapes: a house (Home Assistant) holding a chat bubble (Discord) for the icon;
 * the house and the bubble, each on its own tile, joined by arrows both ways for the logo.
 * No dependencies (a small PNG encoder on node:zlib), and the same bytes on every run:
 *
 *   node scripts/addon-images.mjs          write both files
 *   node scripts/addon-images.mjs --check  exit 1 when the committed files show other pixels
 *
 * The check compares pixels, not bytes: another zlib (another Node) may compress differently.
 */
import { Buffer } from 'node:buffer';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync, inflateSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const BLURPLE = [0x58, 0x65, 0xf2]; // Discord
const HA_BLUE = [0x18, 0xbc, 0xf2]; // Home Assistant
const WHITE = [0xff, 0xff, 0xff];
const GREY = [0x8a, 0x94, 0xa6];

// --- shapes: each takes a point in the picture's own units and says whether it is inside ---

const roundRect = (x0, y0, x1, y1, r) => (x, y) => {
  const dx = Math.max(x0 + r - x, 0, x - (x1 - r));
  const dy = Math.max(y0 + r - y, 0, y - (y1 - r));
  return x >= x0 && x <= x1 && y >= y0 && y <= y1 && dx * dx + dy * dy <= r * r;
};
const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const triangle = (a, b, c) => (x, y) => {
  const side = (p, q) => (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0]);
  const s1 = side(a, b);
  const s2 = side(b, c);
  const s3 = side(c, a);
  return (s1 >= 0 && s2 >= 0 && s3 >= 0) || (s1 <= 0 && s2 <= 0 && s3 <= 0);
};
const union =
  (...shapes) =>
  (x, y) =>
    shapes.some((s) => s(x, y));
/** A shape moved and scaled: drawn in a unit square placed at (ox, oy) with side `size`. */
const placed = (shape, ox, oy, size) => (x, y) => shape((x - ox) / size, (y - oy) / size);

/** The house with a chat bubble in it, in a unit square. */
function houseWithBubble(bubbleColor) {
  const house = union(
    triangle([0.5, 0.17], [0.13, 0.5], [0.87, 0.5]),
    roundRect(0.24, 0.44, 0.76, 0.82, 0.03),
  );
  const bubble = union(
    roundRect(0.33, 0.5, 0.67, 0.7, 0.06),
    triangle([0.37, 0.68], [0.47, 0.68], [0.34, 0.77]),
  );
  const dots = union(circle(0.42, 0.6, 0.028), circle(0.5, 0.6, 0.028), circle(0.58, 0.6, 0.028));
  return [
    [house, WHITE],
    [bubble, bubbleColor],
    [dots, WHITE],
  ];
}

function icon() {
  return {
    width: 128,
    height: 128,
    layers: [[roundRect(0, 0, 1, 1, 0.22), BLURPLE], ...houseWithBubble(BLURPLE)].map(
      ([shape, color]) => [placed(shape, 0, 0, 128), color],
    ),
  };
}

function logo() {
  const tile = 88;
  const top = 6;
  const left = 6;
  const right = 250 - 6 - tile;
  const house = union(
    triangle([0.5, 0.17], [0.13, 0.52], [0.87, 0.52]),
    roundRect(0.24, 0.46, 0.76, 0.82, 0.03),
  );
  const bubble = union(
    roundRect(0.18, 0.24, 0.82, 0.66, 0.1),
    triangle([0.28, 0.62], [0.44, 0.62], [0.24, 0.8]),
  );
  const dots = union(circle(0.35, 0.45, 0.05), circle(0.5, 0.45, 0.05), circle(0.65, 0.45, 0.05));
  // Two arrows between the tiles: HA to Discord above, Discord to HA below.
  const arrows = union(
    roundRect(104, 36, 138, 42, 3),
    triangle([136, 30], [148, 39], [136, 48]),
    roundRect(112, 58, 146, 64, 3),
    triangle([114, 52], [102, 61], [114, 70]),
  );
  return {
    width: 250,
    height: 100,
    layers: [
      [placed(roundRect(0, 0, 1, 1, 0.22), left, top, tile), HA_BLUE],
      [placed(house, left, top, tile), WHITE],
      [placed(roundRect(0, 0, 1, 1, 0.22), right, top, tile), BLURPLE],
      [placed(bubble, right, top, tile), WHITE],
      [placed(dots, right, top, tile), BLURPLE],
      [arrows, GREY],
    ],
  };
}

/** RGBA pixels, each the average of 4×4 samples (smooth edges), later layers on top. */
function render({ width, height, layers }) {
  const n = 4;
  const pixels = Buffer.alloc(width * height * 4);
  for (let py = 0; py < height; py++) {
    for (let px = 0; px < width; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const x = px + (sx + 0.5) / n;
          const y = py + (sy + 0.5) / n;
          let color;
          for (const [shape, c] of layers) if (shape(x, y)) color = c;
          if (color === undefined) continue;
          r += color[0];
          g += color[1];
          b += color[2];
          a += 1;
        }
      }
      const i = (py * width + px) * 4;
      if (a > 0) {
        pixels[i] = Math.round(r / a);
        pixels[i + 1] = Math.round(g / a);
        pixels[i + 2] = Math.round(b / a);
        pixels[i + 3] = Math.round((255 * a) / (n * n));
      }
    }
  }
  return pixels;
}

// --- PNG: signature, IHDR, one IDAT, IEND ---

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function header(width, height) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return ihdr;
}

/** The scanlines as PNG stores them before compression: a filter byte (none), then RGBA. */
function scanlines(width, height, rgba) {
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    rows[y * (width * 4 + 1)] = 0;
    rgba.copy(rows, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return rows;
}

function png(ihdr, rows) {
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A PNG file's header and its inflated scanlines (this encoder's files: one filter, 8-bit RGBA). */
function decode(file) {
  let ihdr = Buffer.alloc(0);
  const idat = [];
  for (let at = 8; at + 8 <= file.length;) {
    const length = file.readUInt32BE(at);
    const type = file.toString('ascii', at + 4, at + 8);
    const data = file.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') ihdr = data;
    if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  return { ihdr, rows: idat.length > 0 ? inflateSync(Buffer.concat(idat)) : Buffer.alloc(0) };
}

const pictures = { 'addon/icon.png': icon(), 'addon/logo.png': logo() };
const check = process.argv.includes('--check');
let stale = false;
for (const [file, picture] of Object.entries(pictures)) {
  const ihdr = header(picture.width, picture.height);
  const rows = scanlines(picture.width, picture.height, render(picture));
  const path = join(root, file);
  if (!check) {
    writeFileSync(path, png(ihdr, rows));
    continue;
  }
  let current = { ihdr: Buffer.alloc(0), rows: Buffer.alloc(0) };
  try {
    current = decode(readFileSync(path));
  } catch {
    // missing or unreadable: stale
  }
  if (!current.ihdr.equals(ihdr) || !current.rows.equals(rows)) {
    process.stderr.write(`${file} differs from what scripts/addon-images.mjs draws: run it\n`);
    stale = true;
  }
}
if (stale) process.exit(1);
