import { readFileSync } from 'node:fs';

export interface Instruction {
  /** Upper case: FROM, RUN, COPY, ENV, … */
  op: string;
  /** The rest of the instruction, continuation lines joined with a space. */
  args: string;
}

export interface Stage {
  /** The image or stage it starts FROM, e.g. `node:20-bookworm-slim` or `${BOT_IMAGE}`. */
  from: string;
  name?: string;
  instructions: Instruction[];
}

/** A Dockerfile's ARGs before the first FROM, and its stages, comments dropped. */
export function parseDockerfile(path: string): { args: Instruction[]; stages: Stage[] } {
  const logical: string[] = [];
  let pending = '';
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && pending === '')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    logical.push((pending + line).trim());
    pending = '';
  }
  const args: Instruction[] = [];
  const stages: Stage[] = [];
  for (const line of logical.filter(Boolean)) {
    const [op = '', ...rest] = line.split(/\s+/);
    const instruction = { op: op.toUpperCase(), args: rest.join(' ') };
    if (instruction.op === 'FROM') {
      const [from = '', as, name] = rest.filter((w) => !w.startsWith('--platform'));
      stages.push({
        from,
        ...(as?.toUpperCase() === 'AS' && name ? { name } : {}),
        instructions: [],
      });
    } else if (stages.length === 0) args.push(instruction);
    else stages.at(-1)!.instructions.push(instruction);
  }
  return { args, stages };
}

/** The instructions of one kind in a stage. */
export const ops = (stage: Stage, op: string): string[] =>
  stage.instructions.filter((i) => i.op === op).map((i) => i.args);

/** An exec-form instruction's words (`["a", "b"]`). */
export const execForm = (args: string): string[] => JSON.parse(args) as string[];
