import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

interface Compose {
  services: Record<string, { volumes?: string[]; environment?: Record<string, string> }>;
  secrets?: Record<string, { file?: string }>;
}

const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as Compose;
const ignored = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim().replace(/^\/|\/$/g, ''));

/** The top folders in the repository that the compose file's bind mounts and secrets use. */
function hostFolders(): string[] {
  const paths = [
    ...Object.values(compose.services).flatMap((s) =>
      (s.volumes ?? []).map((v) => v.split(':')[0]!),
    ),
    ...Object.values(compose.secrets ?? {}).map((s) => s.file ?? ''),
  ];
  return [...new Set(paths.filter((p) => p.startsWith('./')).map((p) => p.split('/')[1]!))];
}

describe('docker-compose.yml', () => {
  it('finds the folders the compose instructions create in the repository', () => {
    expect(hostFolders().sort()).toEqual(['homeassistant', 'secrets']);
  });

  it.each(['.gitignore', '.dockerignore'])(
    'keeps them (the HA token, HA config) out of git and the image: %s',
    (file) => {
      expect(ignored(file)).toEqual(expect.arrayContaining(hostFolders()));
    },
  );
});
