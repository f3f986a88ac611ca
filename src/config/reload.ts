import { sameCustomCommands } from './custom-commands.js';
import type { Logger } from '../logging/logger.js';
import { milestone } from '../logging/milestones.js';
import { loadConfigFile } from './file.js';
import { liveSettings, type LiveConfig } from './live.js';

export type ReloadResult = { ok: true; changes: string[] } | { ok: false; problems: string[] };

/**
 * Re-reads CONFIG_FILE (alert rules and the access policy) without a restart, on SIGHUP or
 * `/ha reload`, and publishes it to the live config, whose followers apply it. An invalid
 * file changes nothing: the bot keeps running on the old one and says what is wrong.
 * Environment settings (tokens, URLs) need a restart.
 */
export function createReloader(
  path: string | undefined,
  live: LiveConfig,
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
    const next = liveSettings(loaded.file);
    const previous = live.current();
    live.publish(next);
    const commandsChanged = !sameCustomCommands(previous.commands, next.commands);
    const changes = [
      `${next.fileRules.length} alert rule(s) from the file.`,
      next.policyFromFile
        ? 'The access policy from the file.'
        : 'No access policy in the file: the safe default.',
      ...(next.commands.length > 0 || commandsChanged
        ? [
            `${next.commands.length} custom command(s)${commandsChanged ? ', registered again' : ''}.`,
          ]
        : []),
    ];
    log.info({ ...milestone('config.reloaded'), changes }, 'config reloaded');
    return { ok: true, changes };
  };
}
