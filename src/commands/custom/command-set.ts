import type { AnyCommand } from '../types.js';
import { customCommands } from './declare.js';
import type { CustomCommandConfig } from '../../config/custom-commands.js';

/**
 * The commands in force, for the router: the bot's own and the custom ones of the config's
 * `commands:` section as it is now. The same array while the section is the same object,
 * so the router rebuilds its runner only after a reload.
 */
export function commandsIn(
  own: readonly AnyCommand[],
): (configs: readonly CustomCommandConfig[]) => readonly AnyCommand[] {
  let last: { configs: readonly CustomCommandConfig[]; all: readonly AnyCommand[] } | undefined;
  return (configs) => {
    if (last?.configs !== configs) last = { configs, all: [...own, ...customCommands(configs)] };
    return last.all;
  };
}
