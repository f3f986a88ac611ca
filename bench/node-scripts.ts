import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import ts from 'typescript';

// Inside node_modules, so that the compiled scripts resolve the project's packages.
const OUT_DIR = resolve('node_modules/.cache/hdb-bench');

/**
 * Compiles a bench script to plain JavaScript, so it runs under bare `node` as the bot's
 * dist/index.js does: a TypeScript loader would add its own start-up time and memory to
 * the baseline. Returns the path of the .mjs file.
 */
export function compiledScript(tsPath: string): string {
  const source = readFileSync(resolve(tsPath), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  mkdirSync(OUT_DIR, { recursive: true });
  const out = resolve(OUT_DIR, basename(tsPath).replace(/\.ts$/, '.mjs'));
  writeFileSync(out, outputText);
  return out;
}
