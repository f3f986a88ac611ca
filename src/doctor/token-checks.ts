import { statSync } from 'node:fs';
import { tokenFileModeProblem, tokenFileWriteProblem } from '../config/token-file.js';
import type { Config } from '../config/schema.js';
import type { LoginGuard } from '../ha/login-guard.js';
import type { WebsocketProbe } from '../ha/probe.js';
import { daysFromNow, DAY_MS, inspectToken, isoDay } from '../ha/token.js';
import { tokenDetails, tokenSummary, type TokenReport } from '../ha/token-report.js';
import { checkHaWebsocket, interpretHaApi } from './ha-checks.js';
import type { CheckResult, HttpGet } from './types.js';

const TOKEN = 'Home Assistant token';

/** HA_TOKEN_FILE readable (or writable) by more than its owner and group: a warning. */
export function checkTokenFile(
  path: string,
  stat: (p: string) => { mode: number } = statSync,
): CheckResult {
  const name = 'HA token file';
  let mode: number;
  try {
    mode = stat(path).mode;
  } catch (error) {
    return {
      name,
      status: 'fail',
      summary: `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    };
  }
  const problem = tokenFileModeProblem(path, mode);
  const octal = (mode & 0o777).toString(8).padStart(4, '0');
  return problem === undefined
    ? { name, status: 'ok', summary: `${path}, mode ${octal}` }
    : {
        name,
        status: 'warn',
        summary: `${path} is readable by others (mode ${octal})`,
        details: [
          problem,
          "With Docker Compose's file secrets the container sees the host file's mode and owner: the bot runs as uid 1000 (chown 1000 it).",
        ],
      };
}

/**
 * Before any network call: the token can be an HA token at all (not truncated or damaged),
 * has not expired, and the login guard lets it be sent. A failure here skips the login
 * checks, so the doctor never costs a failed login it could foresee.
 */
export function checkTokenBeforeLogin(token: string, guard: LoginGuard, now: number): CheckResult {
  const admission = guard.admit(token, 'The token');
  if (!admission.ok) {
    return {
      name: TOKEN,
      status: 'fail',
      summary: 'not sent to Home Assistant',
      details: [admission.reason],
    };
  }
  const shape = inspectToken(token);
  const claims = shape.ok ? shape.claims : undefined;
  const created = claims?.issuedAt === undefined ? '' : `, created ${isoDay(claims.issuedAt)}`;
  const expires =
    claims?.expiresAt === undefined
      ? ', no expiry date'
      : `, expires ${daysFromNow(claims.expiresAt, now)}`;
  return { name: TOKEN, status: 'ok', summary: `an access token (JWT)${created}${expires}` };
}

/** After a login: whose token, its name, and what a non-administrator cannot do. */
export function checkTokenReport(report: TokenReport, now: number): CheckResult {
  const soon = report.expiresAt !== undefined && report.expiresAt - now <= 30 * DAY_MS;
  const details = tokenDetails(report);
  if (soon) {
    details.unshift(
      'Create a new token (profile → Security → Long-lived access tokens) and put it in HA_TOKEN_FILE (taken over without a restart) or HA_TOKEN; or let the bot rotate it (HA_TOKEN_ROTATE_DAYS).',
    );
  }
  return {
    name: 'Home Assistant user',
    status: soon ? 'warn' : 'ok',
    summary: tokenSummary(report, now),
    ...(details.length > 0 ? { details } : {}),
  };
}

/** HA_TOKEN_ROTATE_DAYS needs a file the bot may replace. */
export function checkSelfRotation(
  file: string,
  days: number,
  writeProblem: (p: string) => string | undefined = tokenFileWriteProblem,
): CheckResult {
  const problem = writeProblem(file);
  return problem === undefined
    ? {
        name: 'Token self-rotation',
        status: 'ok',
        summary: `every ${days} day${days === 1 ? '' : 's'}: ${file} can be replaced`,
      }
    : {
        name: 'Token self-rotation',
        status: 'fail',
        summary: `HA_TOKEN_ROTATE_DAYS is set, but ${problem}`,
        details: [
          'The bot writes each new token to HA_TOKEN_FILE: use a file it may write (a bind-mounted file, not a read-only Docker secret), or unset HA_TOKEN_ROTATE_DAYS.',
        ],
      };
}

export interface HaCheckDeps {
  get: HttpGet;
  probeWebsocket: (wsUrl: string, token: string) => Promise<WebsocketProbe>;
  guard: LoginGuard;
  now: number;
}

/**
 * Home Assistant as the bot will meet it, in order: the token file, the token itself (no
 * network), the REST API, a websocket login, whose token it is, self-rotation. Each login's
 * outcome goes to the login guard the bot shares, so doctor runs count towards its bound.
 */
export async function checkHomeAssistant(
  ha: Config['ha'],
  deps: HaCheckDeps,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  if (ha.tokenFile !== undefined) results.push(checkTokenFile(ha.tokenFile));
  if (!ha.viaSupervisor) {
    const before = checkTokenBeforeLogin(ha.token, deps.guard, deps.now);
    results.push(before);
    if (before.status === 'fail') {
      return [
        ...results,
        {
          name: 'Home Assistant API and websocket',
          status: 'skip',
          summary: 'skipped: the token above was not sent',
        },
      ];
    }
  }
  const outcome = await deps.get(`${ha.url}/api/`, { authorization: `Bearer ${ha.token}` });
  // HA counts a 401 as a failed login (and bans after too many); a 200 does not reset it.
  if (!ha.viaSupervisor && outcome.kind === 'response' && outcome.status === 401) {
    deps.guard.rejected(ha.token, 'doctor');
  }
  const rest = interpretHaApi(ha, outcome);
  results.push(rest);
  let probe: WebsocketProbe | undefined;
  results.push(
    await checkHaWebsocket(ha, rest, async (url, token) => {
      probe = await deps.probeWebsocket(url, token);
      return probe;
    }),
  );
  if (!ha.viaSupervisor && probe?.kind === 'auth_invalid') deps.guard.rejected(ha.token, 'doctor');
  if (probe?.kind === 'ok') {
    if (!ha.viaSupervisor) deps.guard.accepted(ha.token);
    if (probe.token !== undefined) results.push(checkTokenReport(probe.token, deps.now));
  }
  if (ha.rotateDays !== undefined && ha.tokenFile !== undefined) {
    results.push(checkSelfRotation(ha.tokenFile, ha.rotateDays));
  }
  return results;
}
