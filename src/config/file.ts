import { readFileSync } from 'node:fs';
import { isMap, LineCounter, parseDocument, type Node } from 'yaml';
import { z } from 'zod';
import { RuleSchema } from '../alerts/rule-schema.js';
import { CustomCommandsSchema } from './custom-commands.js';
import { PolicySchema } from '../policy/schema.js';

/** The optional YAML config file (CONFIG_FILE): alert rules, the access policy, custom commands. */
export const ConfigFileSchema = z
  .object({
    alerts: z
      .object({
        rules: z.array(RuleSchema).default([]),
      })
      .strict()
      .default({ rules: [] }),
    access: PolicySchema.optional(),
    /** Custom slash commands beside `/ha` (src/commands/custom). */
    commands: CustomCommandsSchema.default([]),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.alerts.rules.forEach((rule, i) => {
      if (seen.has(rule.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['alerts', 'rules', i, 'name'],
          message: `duplicate rule name '${rule.name}'`,
        });
      }
      seen.add(rule.name);
    });
  });

export type ConfigFile = z.output<typeof ConfigFileSchema>;

export type ConfigFileResult = { ok: true; file: ConfigFile } | { ok: false; problems: string[] };

/**
 * Reads and validates the YAML file, listing every problem as "file:line: path: message".
 * Line numbers come from the YAML parser, for syntax errors and for schema errors alike.
 */
export function loadConfigFile(
  path: string,
  readFile: (p: string) => string = (p) => readFileSync(p, 'utf8'),
): ConfigFileResult {
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    return {
      ok: false,
      problems: [
        `CONFIG_FILE: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      ],
    };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map(
        (e) => `${path}:${lineCounter.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]}`,
      ),
    };
  }
  const parsed = ConfigFileSchema.safeParse(doc.toJS() ?? {});
  if (parsed.success) return { ok: true, file: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => {
      const line = lineOf(doc.contents, issue.path, lineCounter);
      const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
      return `${path}${line ? `:${line}` : ''}: ${where}${issue.message}`;
    }),
  };
}

/** The line of the deepest node the path reaches (a missing key points at its parent). */
function lineOf(
  root: unknown,
  path: readonly PropertyKey[],
  counter: LineCounter,
): number | undefined {
  let node = root as Node | null | undefined;
  let line: number | undefined;
  for (const key of [undefined, ...path]) {
    if (key !== undefined) {
      const next: unknown =
        isMap(node) || isSeqLike(node)
          ? (node as { get(k: unknown, keep: true): unknown }).get(key, true)
          : undefined;
      if (next === undefined || next === null) break;
      node = next as Node;
    }
    const start = node?.range?.[0];
    if (start !== undefined) line = counter.linePos(start).line;
  }
  return line;
}

function isSeqLike(node: unknown): boolean {
  return (
    typeof node === 'object' &&
    node !== null &&
    'items' in node &&
    typeof (node as { get?: unknown }).get === 'function'
  );
}
