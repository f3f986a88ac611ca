import type { Config } from '../config/schema.js';
import { LoginGuard } from '../ha/login-guard.js';
import { TokenMonitor, type TokenMonitorOptions, type TokenReport } from '../ha/token-report.js';
import { TokenManager } from '../ha/token-rotation.js';
import type { Logger } from '../logging/logger.js';
import type { Db } from '../storage/database.js';
import { sqliteLoginGuardStore, sqliteTokenWarnings } from '../storage/token-guard.js';
import { feature, type Feature } from './feature.js';

type TokenHa = Parameters<TokenManager['attach']>[0] & TokenMonitorOptions['ha'];

/** The HA token's life: what HaClient logs in with, and the feature that looks after it. */
export interface TokenLife {
  /** Undefined in the add-on, whose Supervisor token is not a long-lived one. */
  readonly tokens: TokenManager | undefined;
  /** Who the token belongs to and when it expires, for /ha about. */
  readonly report: () => TokenReport | undefined;
  /** HA_TOKEN_FILE watched, the report kept, self-rotation: started once HA is built. */
  feature(ha: TokenHa): Feature;
}

/** The login guard, HA_TOKEN_FILE and self-rotation, for a long-lived token. */
export function createTokenLife(opts: {
  ha: Config['ha'];
  db: Db;
  log: Logger;
  notify: (title: string, text: string) => void;
  /** A token the bot moves to: hidden in the log from then on. */
  onSecret: (token: string) => void;
}): TokenLife {
  const { ha: settings, db, notify } = opts;
  const log = opts.log.child({ side: 'token' });
  const fromFile = settings.tokenFile !== undefined;
  const guard = new LoginGuard(sqliteLoginGuardStore(db), settings.url);
  const tokens = settings.viaSupervisor
    ? undefined
    : new TokenManager({
        initial: settings.token,
        file: settings.tokenFile,
        rotateDays: settings.rotateDays,
        guard,
        log,
        notify,
        onSecret: opts.onSecret,
      });
  let monitor: TokenMonitor | undefined;
  return {
    tokens,
    report: () => monitor?.report,
    feature: (ha) =>
      feature('token life', () => {
        if (tokens === undefined) return [];
        monitor = new TokenMonitor({
          ha,
          tokens,
          warnings: sqliteTokenWarnings(db),
          fingerprint: (token) => guard.fingerprint(token),
          fromFile,
          log,
          notify,
          afterCheck: () => void tokens.rotateIfDue(),
          selfRotating: () => tokens.selfRotating,
        });
        const started = monitor;
        tokens.attach(ha);
        started.start();
        return [() => tokens.stop(), () => started.stop()];
      }),
  };
}
