import { randomBytes } from 'node:crypto';

/** A unique id for an alert or notice. */
export const newAlertId = (): string => randomBytes(12).toString('base64url');
