import { readFileSync } from 'node:fs';
import { parse as parseEnv } from 'dotenv';
import { ApplicationCommandOptionType } from 'discord.js';
import { ADDON_OPTIONS } from '../../src/config/addon-options.js';
import { loadConfig } from '../../src/config/load.js';
import { EnvSchema } from '../../src/config/schema.js';
import { buildCommands } from '../../src/commands/registry.js';

/** The rows of the first table after `heading`, as trimmed cells (header and rule skipped). */
function tableAfter(markdown: string, heading: string): string[][] {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no "${heading}" section`);
  const lines = markdown.slice(start).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );
  }
  return rows;
}

/** Links within the README mean nothing in the add-on's Documentation tab: drop them. */
function withoutReadmeLinks(text: string): string {
  return text
    .replace(/\s*\(see \[[^\]]*\]\(#[^)]*\)\)/g, '')
    .replace(/\s*See \[[^\]]*\]\(#[^)]*\)\./g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
}

const readme = readFileSync('README.md', 'utf8');
const docs = readFileSync('addon/DOCS.md', 'utf8');

/** Every `/ha` subcommand (`state`, `watch add`) and its option names, from the registry. */
function commands(): { key: string; options: string[] }[] {
  const out: { key: string; options: string[] }[] = [];
  for (const option of buildCommands()[0]!.options ?? []) {
    if (option.type === ApplicationCommandOptionType.Subcommand) {
      out.push({ key: option.name, options: (option.options ?? []).map((o) => o.name) });
    } else if (option.type === ApplicationCommandOptionType.SubcommandGroup) {
      for (const sub of option.options ?? []) {
        out.push({
          key: `${option.name} ${sub.name}`,
          options: (sub.options ?? []).map((o) => o.name),
        });
      }
    }
  }
  return out;
}

describe("README's commands table", () => {
  const rows = tableAfter(readme, '## Commands');

  it('lists every /ha subcommand, with its options', () => {
    for (const { key, options } of commands()) {
      const row = rows.find(([command]) =>
        [...command!.matchAll(/`\/ha ([^`]*)`/g)].some((m) => `${m[1]} `.startsWith(`${key} `)),
      );
      expect([key, row !== undefined]).toEqual([key, true]);
      for (const option of options) {
        // `name:<x>`, `[name:]` or `name` in backticks in the description.
        expect([key, option, row!.join(' ')]).toEqual([
          key,
          option,
          expect.stringMatching(new RegExp(`(\\b${option}:|\\[${option}\\]|\`${option}\`)`)),
        ]);
      }
    }
  });

  it("is the add-on's (DOCS.md) too, without the README's links", () => {
    const addonRows = tableAfter(docs, '## Commands');
    expect(addonRows).toEqual(rows.map((cells) => cells.map(withoutReadmeLinks)));
  });
});

describe("the add-on's options (DOCS.md)", () => {
  it('are exactly the options config.yaml declares, each with a setting the README documents', () => {
    const rows = tableAfter(docs, '## Options');
    const documented = rows.flatMap(([options]) =>
      [...options!.matchAll(/`(\w+)`/g)].map((m) => m[1]),
    );
    expect(documented.sort()).toEqual(Object.keys(ADDON_OPTIONS).sort());
    const configuration = tableAfter(readme, '## Configuration').map(([name]) => name);
    for (const setting of Object.values(ADDON_OPTIONS)) {
      expect(configuration).toContain(`\`${setting}\``);
    }
  });
});

describe('.env.example', () => {
  const example = parseEnv(readFileSync('.env.example', 'utf8'));
  /** The four the file asks for first. */
  const four = {
    DISCORD_TOKEN: 'discord-bot-token-0123456789abcdef',
    DISCORD_GUILD_ID: '811111111111111111',
    HA_URL: 'http://192.168.1.10:8123',
    HA_TOKEN: 'ha-long-lived-token-0123456789abcdef',
  };

  it('names only real settings, and asks for the four first', () => {
    const known = new Set(Object.keys(EnvSchema.shape));
    for (const name of Object.keys(example)) expect([name, known.has(name)]).toEqual([name, true]);
    const header = readFileSync('.env.example', 'utf8').split('\n\n')[0]!;
    for (const name of Object.keys(four)) expect(header).toContain(name);
  });

  it('starts the bot once those four are filled in', () => {
    const result = loadConfig({ ...example, ...four });
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it('starts it with an alert channel added, and with HA_URL left as it is', () => {
    const withAlerts = loadConfig({
      ...example,
      ...four,
      DISCORD_ALERT_CHANNEL_ID: '833333333333333333',
    });
    expect(withAlerts.ok ? [] : withAlerts.problems).toEqual([]);
    const { HA_URL: _url, ...three } = four;
    const result = loadConfig({ ...example, ...three });
    expect(result.ok ? [] : result.problems).toEqual([]);
  });
});
