import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BotProcess } from './harness.js';

describe('the harness reading a process under test', () => {
  it('keeps a log line whole when stderr writes in the middle of it', async () => {
    const script = join(mkdtempSync(join(tmpdir(), 'hdb-harness-')), 'split-line.mjs');
    writeFileSync(
      script,
      [
        'const later = (ms) => new Promise((r) => setTimeout(r, ms));',
        'process.stdout.write(\'{"level":30,"msg":"one\');',
        'await later(100);',
        "process.stderr.write('a warning on stderr\\n');",
        'await later(100);',
        "process.stdout.write(' line\"}\\n');",
        'process.stdout.write(\'{"level":30,"msg":"done"}\\n\');',
      ].join('\n'),
    );
    const proc = BotProcess.start({}, { entry: script });
    await proc.exited;
    expect(proc.output).toContain('a warning on stderr');
    expect(proc.logs.map((l) => l.msg)).toEqual(['one line', 'done']);
  });
});
