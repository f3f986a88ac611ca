import 'dotenv/config';
import { createHttpGet } from './doctor/http.js';
import { formatReport, hasFailures } from './doctor/report.js';
import { runDoctor } from './doctor/run.js';
import { LoginGuard } from './ha/login-guard.js';
import { probeWebsocket } from './ha/probe.js';
import { scrub } from './logging/logger.js';
import { openDatabase, type Db } from './storage/database.js';
import { sqliteLoginGuardStore } from './storage/token-guard.js';
import { VERSION } from './version.js';

const envSecrets = (): string[] =>
  [process.env.DISCORD_TOKEN, process.env.HA_TOKEN, process.env.SUPERVISOR_TOKEN]
    .map((s) => s?.trim() ?? '')
    .filter((s) => s !== '');

/**
 * `npm run doctor` (or `docker run … doctor`): checks the settings, Home Assistant and Discord
 * the way the bot will use them, prints a report, and exits 1 when anything failed.
 * `--retry-token` forgets the tokens HA rejected and the failed logins, and tries the token once.
 */
async function main(): Promise<void> {
  let db: Db | undefined;
  const results = await runDoctor(process.env, {
    get: createHttpGet(),
    probeWebsocket: (wsUrl, token) => probeWebsocket(wsUrl, token),
    // The bot's own database: doctor runs count towards its bound of failed logins.
    openGuard: (dataDir, haUrl) => {
      try {
        db = openDatabase(dataDir);
        return new LoginGuard(sqliteLoginGuardStore(db), haUrl);
      } catch {
        return undefined;
      }
    },
    retryToken: process.argv.includes('--retry-token'),
  });
  db?.close();
  // runDoctor masks the tokens of a valid config; these cover a report on invalid settings.
  process.stdout.write(scrub(formatReport(results, VERSION), envSecrets()));
  process.exitCode = hasFailures(results) ? 1 : 0;
}

main().catch((error: unknown) => {
  process.stderr.write(
    scrub(
      `doctor failed: ${error instanceof Error ? error.message : String(error)}\n`,
      envSecrets(),
    ),
  );
  process.exitCode = 2;
});
