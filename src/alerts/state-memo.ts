/**
 * A value the rule engine keeps with an entity's state records (that no rule selects it):
 * the store carries it from each record to the next (src/ha/entity-store.ts), so that a
 * change finds it with the state it brings, not by a lookup in a map of every entity (at
 * 100,000 entities each such lookup misses the CPU caches). A symbol: not serialized, not
 * among the fields listed or compared. Defined here, below src/ha in the layers, so that
 * rule code and the store share it without rule code importing src/ha at run time.
 */
export const STATE_MEMO: unique symbol = Symbol('ha-discord-bridge.state-memo');
