import type { AnyCommand } from '../types.js';
import { customCommands } from './declare.js';
import type { CustomCommandConfig } from './schema.js';

/**
 * The commands in force: the bot's own and those from the config's `commands:`, which a
 * reload replaces. `all` keeps its identity until they change, so the router rebuilds its
 * runner only then.
 */
export class CommandSet {
  private configs: readonly CustomCommandConfig[];
  private customList: readonly AnyCommand[];
  private allList: readonly AnyCommand[];

  constructor(
    private readonly own: readonly AnyCommand[],
    configs: readonly CustomCommandConfig[],
  ) {
    this.configs = configs;
    this.customList = customCommands(configs);
    this.allList = [...own, ...this.customList];
  }

  get all(): readonly AnyCommand[] {
    return this.allList;
  }

  /** The custom ones, for registering beside `/ha`. */
  get custom(): readonly AnyCommand[] {
    return this.customList;
  }

  /** Takes a reloaded `commands:` section; true when it differs (register them again). */
  replace(configs: readonly CustomCommandConfig[]): boolean {
    if (JSON.stringify(configs) === JSON.stringify(this.configs)) return false;
    this.configs = configs;
    this.customList = customCommands(configs);
    this.allList = [...this.own, ...this.customList];
    return true;
  }
}
