#!/usr/bin/env node
/**
 * Where the release publishes, from the one place that names the repository: the `url:` of
 * repository.yaml (which Home Assistant's add-on store reads too). The image names follow
 * from it; addon/config.yaml's `image:` and docker-compose.yml's bot image must say the same
 * (Home Assistant and Compose cannot read repository.yaml), which tests/unit/release.test.ts
 * and `check` hold them to.
 *
 *   node scripts/release.mjs names                      the names, as JSON
 *   node scripts/release.mjs check v1.2.3               what the release workflow runs first:
 *       the tag is v<package.json version>, config.yaml has that version and addon/CHANGELOG.md
 *       a section for it, the names agree, and (in GitHub Actions) repository.yaml names the
 *       repository the workflow runs in; writes version and image names to $GITHUB_OUTPUT
 *   node scripts/release.mjs set-repository you/your-fork
 *       a fork publishing its own images: rewrites the url and both image names (and the
 *       links in CHANGELOG.md)
 *
 * Plain Node, no dependencies: it runs before npm ci.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = process.env.HDB_ROOT ?? join(dirname(fileURLToPath(import.meta.url)), '..');
const read = (file) => readFileSync(join(root, file), 'utf8');

const FILES = {
  repository: 'repository.yaml',
  addon: 'addon/config.yaml',
  compose: 'docker-compose.yml',
  addonChangelog: 'addon/CHANGELOG.md',
};

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** owner/name from a GitHub URL, e.g. https://github.com/owner/name(.git). */
function parseRepository(url) {
  const match = /^https:\/\/github\.com\/([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+?)(?:\.git)?\/?$/.exec(
    url,
  );
  return match ? { owner: match[1], name: match[2] } : undefined;
}

/** The image names for a repository; registries want them in lower case. */
function namesFor({ owner, name }) {
  const o = owner.toLowerCase();
  const n = name.toLowerCase();
  return {
    repository: `${owner}/${name}`,
    url: `https://github.com/${owner}/${name}`,
    image: `ghcr.io/${o}/${n}`,
    addonImage: `ghcr.io/${o}/{arch}-addon-${n}`,
  };
}

function currentNames() {
  const url = /^url:\s*(\S+)\s*$/m.exec(read(FILES.repository))?.[1] ?? '';
  const repo = parseRepository(url);
  if (!repo) fail(`${FILES.repository}: url must be https://github.com/OWNER/NAME, not "${url}"`);
  return namesFor(repo);
}

/** What the files that cannot read repository.yaml say, next to what they should say. */
function disagreements(names) {
  const problems = [];
  const addonImage = /^image:\s*(\S+)\s*$/m.exec(read(FILES.addon))?.[1];
  if (addonImage !== names.addonImage)
    problems.push(`${FILES.addon}: image is ${addonImage}, not ${names.addonImage}`);
  const composeImages = [...read(FILES.compose).matchAll(/^\s+image:\s*(\S+)\s*$/gm)].map(
    (m) => m[1],
  );
  if (!composeImages.some((i) => i.startsWith(`${names.image}:`)))
    problems.push(`${FILES.compose}: no service uses ${names.image}:<tag>`);
  return problems;
}

function check(tag) {
  const names = currentNames();
  const problems = disagreements(names);
  const version = JSON.parse(read('package.json')).version;
  if (tag !== `v${version}`) problems.push(`the tag ${tag} is not v${version} (package.json)`);
  const addonVersion = /^version:\s*(\S+)\s*$/m.exec(read(FILES.addon))?.[1];
  if (addonVersion !== version)
    problems.push(`${FILES.addon}: version is ${addonVersion}, not ${version} (package.json)`);
  if (
    !new RegExp(`^## ${version.replace(/\./g, '\\.')}\\s*$`, 'm').test(read(FILES.addonChangelog))
  )
    problems.push(
      `${FILES.addonChangelog}: no "## ${version}" section (the add-on store shows it)`,
    );
  const running = process.env.GITHUB_REPOSITORY;
  if (running && running.toLowerCase() !== names.repository.toLowerCase()) {
    problems.push(
      `${FILES.repository} names ${names.repository}, but this runs in ${running}: run ` +
        `node scripts/release.mjs set-repository ${running}, commit, and tag again`,
    );
  }
  if (problems.length > 0) fail(`Not releasing:\n- ${problems.join('\n- ')}`);
  const outputs = {
    version,
    image: names.image,
    addon_image: names.addonImage,
    repository: names.repository,
  };
  const lines = Object.entries(outputs).map(([k, v]) => `${k}=${v}\n`);
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, lines.join(''));
  process.stdout.write(lines.join(''));
}

function setRepository(arg) {
  const repo = parseRepository(`https://github.com/${arg ?? ''}`);
  if (!repo) fail('Usage: node scripts/release.mjs set-repository OWNER/NAME');
  const before = currentNames();
  const after = namesFor(repo);
  const edits = [
    [FILES.repository, before.url, after.url],
    [FILES.addon, before.addonImage, after.addonImage],
    [FILES.compose, `${before.image}:`, `${after.image}:`],
  ];
  for (const [file, from, to] of edits) {
    const text = read(file);
    if (!text.includes(from)) fail(`${file}: ${from} not found; fix it by hand first`);
    writeFileSync(join(root, file), text.split(from).join(to));
  }
  // Links, not read by the release: updated where present.
  for (const file of ['CHANGELOG.md']) {
    if (!existsSync(join(root, file))) continue;
    writeFileSync(join(root, file), read(file).split(`${before.url}/`).join(`${after.url}/`));
  }
  process.stdout.write(`Now publishing to ${after.image} and ${after.addonImage}\n`);
}

const [command, arg] = process.argv.slice(2);
if (command === 'names') {
  const names = currentNames();
  const problems = disagreements(names);
  process.stdout.write(`${JSON.stringify({ ...names, problems }, null, 2)}\n`);
  if (problems.length > 0) process.exit(1);
} else if (command === 'check') {
  if (!arg) fail('Usage: node scripts/release.mjs check v1.2.3');
  check(arg);
} else if (command === 'set-repository') {
  setRepository(arg);
} else {
  fail('Usage: node scripts/release.mjs names | check <tag> | set-repository OWNER/NAME');
}
