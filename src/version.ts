import { readFileSync } from 'node:fs';

/**
 * The bot's version, from package.json next to src/ and dist/ (the Docker image copies it),
 * so a release has one version in one place.
 */
export const VERSION: string = readVersion();

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
