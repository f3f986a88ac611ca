import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
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
  // Once a run: a transpile costs 20-70 ms, inside a timed start-up when a bot is started.
  const known = compiled.get(tsPath);
  if (known !== undefined) return known;
  const out = compile(tsPath);
  compiled.set(tsPath, out);
  return out;
}

const compiled = new Map<string, string>();

function compile(tsPath: string): string {
  const source = readFileSync(resolve(tsPath), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  mkdirSync(OUT_DIR, { recursive: true });
  const out = resolve(OUT_DIR, basename(tsPath).replace(/\.ts$/, '.mjs'));
  // Never rewritten in place: a process started with the path a moment ago may be reading it
  // (a bot and its echo bot are started one after the other with the memory probe), and a
  // truncated file imports as an empty module, silently. Unchanged: left as it is; changed:
  // written beside it and renamed over it, which a reader sees whole or not at all.
  if (existsSync(out) && readFileSync(out, 'utf8') === outputText) return out;
  const temporary = `${out}.${process.pid}.tmp`;
  writeFileSync(temporary, outputText);
  renameSync(temporary, out);
  return out;
}
