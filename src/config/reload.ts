import type { Logger } from '../logging/logger.js';
import { loadConfigFile, type ConfigFile } from './file.js';
import { milestone } from '../logging/milestones.js';

export type ReloadResult = { ok: true; changes: string[] } | { ok: false; problems: string[] };

/** What a reload may change in the running bot; connections are not among them. */
export interface Reloadable {
  /** Applies a valid file and returns what changed, in words. */
  apply(file: ConfigFile): string[];
}

/**
 * Re-reads CONFIG_FILE (alert rules and the access policy) without a restart, on SIGHUP or
 * `/ha reload`. An invalid file changes nothing: the bot keeps running on the old one and
 * says what is wrong. Environment settings (tokens, URLs) need a restart.
 */
export function createReloader(
  path: string | undefined,
  target: Reloadable,
  log: Logger,
  read?: (p: string) => string,
): () => ReloadResult {
  return () => {
    if (path === undefined) {
      return {
        ok: false,
        problems: [
          'No CONFIG_FILE is set, so there is nothing to reload. Environment settings need a restart.',
        ],
      };
    }
    const loaded = loadConfigFile(path, read);
    if (!loaded.ok) {
      log.error({ problems: loaded.problems }, 'config reload failed: keeping the running config');
      return { ok: false, problems: loaded.problems };
    }
    const changes = target.apply(loaded.file);
    log.info({ ...milestone('config.reloaded'), changes }, 'config reloaded');
    return { ok: true, changes };
  };
}
