/**
 * Renders the README's picture of the bot in Discord, docs/images/discord-preview.svg, from
 * the messages the bot's own code builds (scripts/readme-picture/scene.ts):
 *
 *   npm run docs:picture
 *
 * tests/unit/docs-picture.test.ts fails when the committed picture differs from what this
 * renders now (after a change to how the bot words or colours its messages).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderChat } from './readme-picture/render.js';
import { buildScene } from './readme-picture/scene.js';

const PICTURE = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'docs',
  'images',
  'discord-preview.svg',
);

const svg = renderChat(await buildScene());
mkdirSync(dirname(PICTURE), { recursive: true });
writeFileSync(PICTURE, svg);
process.stdout.write(`wrote ${PICTURE} (${svg.length} bytes)\n`);
