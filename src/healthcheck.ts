import { describeProblems } from './config/problems.js';
import { loadHealthSettings } from './config/health-settings.js';
import { HEALTH_PATHS, healthBaseUrl } from './health/url.js';

/**
 * The Docker image's HEALTHCHECK: exit 0 when /livez answers 200 (the process works), 1
 * otherwise. Liveness, not readiness: Docker, autoheal or Kubernetes restart an unhealthy
 * container, and a restart cures a stuck process, not a Home Assistant restart or a Discord
 * outage (the bot reconnects by itself; /readyz tells whether both sides are connected).
 * Without HEALTH_PORT there is nothing to ask, so the container counts as healthy rather
 * than failing a check the user switched off.
 */
const loaded = loadHealthSettings(process.env);
if (!loaded.ok) {
  process.stdout.write(`${describeProblems(loaded.problems)}\n`);
  process.exit(1);
}
const { health } = loaded;
if (health === undefined) {
  process.stdout.write('HEALTH_PORT is not set: no health endpoint to check\n');
  process.exit(0);
}
// A wildcard address listens on loopback too.
const host = ['0.0.0.0', '::', '[::]'].includes(health.host) ? '127.0.0.1' : health.host;
const url = `${healthBaseUrl(host, health.port)}${HEALTH_PATHS.liveness}`;
try {
  const res = await fetch(url, { signal: AbortSignal.timeout(4000) });
  const body = (await res.json()) as { status?: string };
  process.stdout.write(`${res.status} ${body.status ?? ''}\n`);
  process.exit(res.status === 200 ? 0 : 1);
} catch (error) {
  process.stdout.write(`${url}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
