import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import local from '../../../eslint-rules/layers.js';

/** The layers rule on its own, over a made-up src/: lowest layer first. */
const LAYERS = [['logging'], ['discord'], ['commands'], ['discord/interactions'], ['index.ts']];
const linter = new Linter({ cwd: '/repo' });

function problems(file: string, code: string): string[] {
  return linter
    .verify(
      code,
      [
        {
          files: ['**/*.ts'],
          languageOptions: { parser: tseslint.parser },
          plugins: { local },
          rules: { 'local/layers': ['error', { root: 'src', layers: LAYERS }] },
        },
      ],
      { filename: `/repo/src/${file}` },
    )
    .map((m) => m.message);
}

describe('the layers rule', () => {
  it('lets a module import a lower layer, and itself', () => {
    expect(problems('commands/state.ts', "import { a } from '../discord/format.js';")).toEqual([]);
    expect(problems('discord/format.ts', "import { a } from './access.js';")).toEqual([]);
  });

  it('refuses a runtime import of a higher layer, and says which', () => {
    expect(problems('discord/format.ts', "import { a } from '../commands/state.js';")).toEqual([
      expect.stringContaining('src/discord may not import src/commands at runtime'),
    ]);
  });

  it('treats a nested folder named in a layer as a module apart from its parent', () => {
    // discord/interactions sits above commands, which sits above discord.
    expect(
      problems('discord/interactions/router.ts', "import { a } from '../../commands/runner.js';"),
    ).toEqual([]);
    expect(
      problems('discord/interactions/router.ts', "import { a } from '../custom-id.js';"),
    ).toEqual([]);
    expect(problems('discord/client.ts', "import { a } from './interactions/router.js';")).toEqual([
      expect.stringContaining('src/discord may not import src/discord/interactions'),
    ]);
    expect(
      problems('commands/runner.ts', "import { a } from '../discord/interactions/render.js';"),
    ).toEqual([expect.stringContaining('src/commands may not import src/discord/interactions')]);
  });

  it('lets `import type` cross layers', () => {
    expect(
      problems('discord/client.ts', "import type { A } from './interactions/router.js';"),
    ).toEqual([]);
  });

  it('names a folder that is in no layer', () => {
    expect(problems('commands/x.ts', "import { a } from '../charts/svg.js';")).toEqual([
      expect.stringContaining('src/charts is in no layer'),
    ]);
  });
});
