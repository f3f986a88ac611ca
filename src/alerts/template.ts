import type { Alert } from './types.js';

const PLACEHOLDER = /\{(name|state|previous|unit|area|entity_id|rule)\}/g;

/**
 * Renders a rule's message template. Placeholders: {name} {state} {previous} {unit} {area}
 * {entity_id} {rule}; anything else is left as written, so a typo shows instead of vanishing.
 */
export function renderTemplate(template: string, a: Omit<Alert, 'text'>): string {
  const values: Record<string, string> = {
    name: a.name,
    state: a.to,
    previous: a.from,
    unit: a.unit ?? '',
    area: a.areaName ?? '',
    entity_id: a.entityId,
    rule: a.ruleName,
  };
  return template.replace(PLACEHOLDER, (_, key: string) => values[key] ?? '').trim();
}
