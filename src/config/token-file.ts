import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  watch,
  writeSync,
  type FSWatcher,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The token in HA_TOKEN_FILE (a trailing newline is fine), or why it cannot be had. */
export type TokenFileRead = { ok: true; token: string } | { ok: false; problem: string };

export function readTokenFile(
  path: string,
  read: (p: string) => string = (p) => readFileSync(p, 'utf8'),
): TokenFileRead {
  try {
    const token = read(path).trim();
    return token === '' ? { ok: false, problem: `${path} is empty` } : { ok: true, token };
  } catch (error) {
    return {
      ok: false,
      problem: `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`,
    };
  }
}

/** The permission bits a token file may have: read and write for its owner, read for its group. */
const ALLOWED_MODE = 0o640;

/**
 * Why the file's permissions are too wide for a secret (anything beyond 0600 / 0640), or
 * undefined. `mode` is `stat().mode`.
 */
export function tokenFileModeProblem(path: string, mode: number): string | undefined {
  const bits = mode & 0o777;
  if ((bits & ~ALLOWED_MODE) === 0) return undefined;
  const octal = bits.toString(8).padStart(4, '0');
  const others = (bits & 0o007) !== 0;
  return `${path} has mode ${octal}: ${others ? 'every user of this machine may read it' : 'it may be written or run by more than its owner'}. Make it 0600 (chmod 600 ${path}), or 0640 with a group the bot's user is in.`;
}

/**
 * Replaces the file's content so that a reader sees either the old token or the new one,
 * never a mix or nothing, and so that the new one survives a crash: a temporary file next to
 * it with the same mode, written and fsynced, renamed over it, then the directory fsynced.
 */
export function writeTokenFileAtomically(path: string, token: string): void {
  const mode = statSync(path).mode & 0o777;
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  try {
    try {
      writeSync(fd, `${token}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // already renamed or never made
    }
    throw error;
  }
  syncDirectory(dirname(path));
}

function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, constants.O_RDONLY);
    fsyncSync(fd);
  } catch {
    // Some filesystems cannot fsync a directory; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Why the bot could not replace the file itself (for self-rotation), or undefined. */
export function tokenFileWriteProblem(path: string): string | undefined {
  try {
    const fd = openSync(path, constants.O_WRONLY);
    closeSync(fd);
  } catch (error) {
    return `${path} is not writable by the bot (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  // The new token goes to a temporary file beside it, renamed over the old one.
  const probe = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.probe`);
  try {
    closeSync(openSync(probe, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600));
    unlinkSync(probe);
  } catch (error) {
    return `the bot cannot create files in ${dirname(path)} (${(error as NodeJS.ErrnoException).code ?? 'error'}): it replaces the token file by writing a new one beside it and renaming it`;
  }
  return undefined;
}

/**
 * Calls `onChange` (debounced) when the file may have changed: on any change in its folder,
 * which also sees an editor's or Kubernetes' replace-by-rename, and, for filesystems that do
 * not report changes (network mounts), every `pollMs`. The caller compares the content.
 */
export function watchTokenFile(
  path: string,
  onChange: () => void,
  opts: { pollMs?: number; debounceMs?: number; onError?: (error: Error) => void } = {},
): () => void {
  let timer: NodeJS.Timeout | undefined;
  const changed = (): void => {
    if (timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      onChange();
    }, opts.debounceMs ?? 200);
  };
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(path), { persistent: false }, changed);
    watcher.on('error', (error) => opts.onError?.(error));
  } catch (error) {
    opts.onError?.(error as Error);
  }
  const poll = setInterval(changed, opts.pollMs ?? 60_000);
  poll.unref();
  return () => {
    watcher?.close();
    clearInterval(poll);
    if (timer !== undefined) clearTimeout(timer);
  };
}
