import { truncate } from '../entities/text.js';
import { LIMITS, safe } from '../discord/format.js';
import { refuse } from './reply.js';
import type { CommandSpec } from './types.js';

/** `/ha reload`: re-reads CONFIG_FILE (rules and policy) for server admins. */
export const reloadCommand: CommandSpec = {
  name: 'reload',
  description: 'Reload alert rules and the access policy (admins)',
  plan({ caller }, _, __, ctx) {
    // Reloading changes who may do what: Discord's own admin right, not a policy grant.
    if (!caller.isManager)
      return refuse('You need the Manage Server permission to reload the config.');
    ctx.log.info({ userId: caller.userId }, 'config reload asked from Discord');
    const result = ctx.reloadConfig();
    const content = result.ok
      ? `Config reloaded. ${result.changes.length > 0 ? result.changes.join(' ') : 'Nothing changed.'}`
      : `The config was not reloaded; the bot keeps running on the old one.\n${result.problems
          .map((p) => `• ${safe(p, 300)}`)
          .join('\n')}`;
    return { kind: 'show', message: { content: truncate(content, LIMITS.content), private: true } };
  },
};
