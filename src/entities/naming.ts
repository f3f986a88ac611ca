import type { LabelSet, Place } from './catalog-groups.js';
import { fold } from './text.js';

/** Shared by every entry without aliases (never changed: a new list is made for an entry). */
export const NO_ALIASES: string[] = [];

/**
 * An entry's domain and the head of its folded id; and its folded object id when it is not
 * its folded name, and its aliases, folded and not. One object for every entry of a domain
 * whose id is of HA's characters (a-z, 0-9, '_', '.', '-': its folded id is the folded
 * domain, ' ', the folded object id), whose folded object id is its folded name and that has
 * no aliases: most entries (see Domains).
 */
export interface Naming {
  readonly domain: string;
  readonly foldedDomain: string;
  /** The folded domain when the folded object id follows it (`split`), else the whole folded id. */
  readonly idHead: string;
  readonly split: boolean;
  readonly objectId: string | undefined;
  readonly aliases: string[];
  readonly shownAliases: readonly string[];
}

/** Where an entry is, its labels, registry flags and domain's part: shared (see Groups.kind). */
export interface Kind {
  readonly naming: Naming;
  readonly place: Place;
  readonly labels: LabelSet;
  /** The registry and exposure flags (see registry-flags.ts). */
  readonly flags: number;
}

/**
 * One Naming per domain for the entries that have nothing of their own in it, and one copy of
 * each domain's name and folded name: kept by the catalog from one update to the next.
 */
export class Domains {
  private readonly byName = new Map<string, Naming>();

  /** The shared Naming of `domain` (its name as held by the first entry of it). */
  of(domain: string): Naming {
    let naming = this.byName.get(domain);
    if (naming === undefined) {
      const foldedDomain = fold(domain);
      naming = {
        domain,
        foldedDomain,
        idHead: foldedDomain,
        split: true,
        objectId: undefined,
        aliases: NO_ALIASES,
        shownAliases: NO_ALIASES,
      };
      this.byName.set(domain, naming);
    }
    return naming;
  }
}
