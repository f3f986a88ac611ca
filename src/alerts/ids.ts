import { randomBytes } from 'node:crypto';

/**
 * 72 random bits drawn once per process, then a counter: ids unique across restarts (a new
 * prefix each time) without asking the system for random bytes per alert, which showed in
 * the ingest profile when a flood of changes fired many alerts.
 */
const prefix = randomBytes(9).toString('base64url');
let counter = 0;

/** A unique id for an alert or notice (at most 24 characters). */
export const newAlertId = (): string => `${prefix}${(counter++).toString(36)}`;
