/** `http://host:port`, an IPv6 address in brackets (unless it already is). No dependencies:
 * the Docker HEALTHCHECK (healthcheck.ts) imports it and starts every 30 s. */
export function healthBaseUrl(host: string, port: number | string): string {
  return `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
}

/** The endpoint's paths; the README, the Docker HEALTHCHECK and the add-on's watchdog use them. */
export const HEALTH_PATHS = {
  /** 200 whenever the process answers at all: its event loop runs. For restarts. */
  liveness: '/livez',
  /** 200 only while Home Assistant and Discord are both connected, else 503. For traffic and alerts. */
  readiness: '/readyz',
  /** The readiness answer under its older name. */
  readinessAlias: '/healthz',
  metrics: '/metrics',
} as const;
