import type { WebsocketProbe } from '../ha/probe.js';
import { describeNetworkError } from './http.js';
import type { CheckResult, HttpOutcome } from './types.js';

export interface HaTarget {
  url: string;
  websocketUrl: string;
  token: string;
  viaSupervisor: boolean;
}

const REST = 'Home Assistant API';
const WS = 'Home Assistant websocket';

/** Why HA answers 401, in the words of HA's own long-lived access token guide. */
function unauthorized(ha: HaTarget): string[] {
  if (ha.viaSupervisor) {
    return [
      "The Supervisor refused the add-on's token.",
      'The add-on needs `homeassistant_api: true` in its config.yaml; reinstall or update the add-on, then restart it.',
    ];
  }
  return [
    `Home Assistant at ${ha.url} rejected the token. Usual causes (from HA's own guide):`,
    '- the Authorization header is missing or wrong: the token was copied incompletely or with extra characters;',
    '- the token was deleted (revoked) or has expired;',
    '- HA_URL points at a different Home Assistant instance than the one that issued the token.',
    'Fix: in Home Assistant open your profile → Security → Long-lived access tokens, create a token, put it in HA_TOKEN (or HA_TOKEN_FILE).',
  ];
}

/**
 * `GET /api/` needs a valid token and no particular permission, so a 403 there is HA's ban
 * middleware (it answers every request of a banned address with 403) or a proxy in between.
 */
export function banned(ha: HaTarget): string[] {
  if (ha.viaSupervisor) {
    return [
      'The Supervisor refused the add-on (403): the add-on needs `homeassistant_api: true` in its config.yaml; reinstall or update it.',
    ];
  }
  return [
    `Home Assistant at ${ha.url} refuses this address before looking at the token: it has most likely banned it after failed logins (http: ip_ban_enabled with login_attempts_threshold).`,
    "Fix: make sure the token is right first (a rejected token would get the address banned again), then remove this machine's address from ip_bans.yaml in Home Assistant's config folder and restart Home Assistant.",
    "If ip_bans.yaml does not list it: a reverse proxy in between refuses the bot. (A 403 on other requests means the token's user lacks permission: a token has its user's permissions and no scopes of its own.)",
  ];
}

/** `GET <HA_URL>/api/` with the bearer token: reachable, really HA, token accepted. */
export function interpretHaApi(ha: HaTarget, outcome: HttpOutcome): CheckResult {
  const where = ha.viaSupervisor ? `${ha.url} (the Supervisor's proxy)` : ha.url;
  if (outcome.kind === 'network') {
    return {
      name: REST,
      status: 'fail',
      summary: `cannot reach ${where}`,
      details: [
        ...describeNetworkError(
          outcome.code,
          { service: 'Home Assistant', url: ha.url },
          outcome.message,
        ),
        'Check HA_URL from the machine (or container) the bot runs on.',
      ],
    };
  }
  const { status, body } = outcome;
  if (status === 200) {
    const running = (body as { message?: unknown } | null)?.message === 'API running.';
    return running
      ? { name: REST, status: 'ok', summary: `API running at ${where}, token accepted` }
      : {
          name: REST,
          status: 'warn',
          summary: `${where} answered, but not like Home Assistant's API`,
          details: ['Check that HA_URL is the address you open Home Assistant at, with no path.'],
        };
  }
  if (status === 401) {
    return {
      name: REST,
      status: 'fail',
      summary: '401: token rejected',
      details: unauthorized(ha),
    };
  }
  if (status === 403) {
    return {
      name: REST,
      status: 'fail',
      summary: '403: Home Assistant refuses this address (banned?)',
      details: banned(ha),
    };
  }
  if (status === 404) {
    return {
      name: REST,
      status: 'fail',
      summary: `404: no Home Assistant API at ${ha.url}/api/`,
      details: [
        'HA_URL must be the address you open Home Assistant at, with no path (e.g. http://homeassistant.local:8123, not …/lovelace).',
      ],
    };
  }
  return {
    name: REST,
    status: 'fail',
    summary: `unexpected HTTP ${status} from ${where}`,
    details: [
      'A reverse proxy in between may be refusing the request; try HA_URL with HA directly.',
    ],
  };
}

/**
 * The websocket login the bot itself uses. Skipped when REST already failed: a token that
 * was rejected is not tried again (failed logins can get this address banned by HA).
 */
export async function checkHaWebsocket(
  ha: HaTarget,
  rest: CheckResult,
  probe: (wsUrl: string, token: string) => Promise<WebsocketProbe>,
): Promise<CheckResult> {
  if (rest.status === 'fail') {
    return {
      name: WS,
      status: 'skip',
      summary: 'skipped until the API check above passes',
    };
  }
  return interpretWebsocket(ha, await probe(ha.websocketUrl, ha.token));
}

export function interpretWebsocket(ha: HaTarget, result: WebsocketProbe): CheckResult {
  switch (result.kind) {
    case 'ok': {
      const starting = result.coreState && result.coreState !== 'RUNNING';
      return {
        name: WS,
        status: starting ? 'warn' : 'ok',
        summary: `logged in: Home Assistant ${result.haVersion}, ${result.coreState ?? 'state unknown'}`,
        ...(starting
          ? { details: ['Home Assistant is still starting; the bot waits for it.'] }
          : {}),
      };
    }
    case 'banned':
      return {
        name: WS,
        status: 'fail',
        summary: `403 at ${ha.websocketUrl}: Home Assistant refuses this address (banned?)`,
        details: banned(ha),
      };
    case 'auth_invalid':
      return {
        name: WS,
        status: 'fail',
        summary: `token rejected (${result.message})`,
        details: unauthorized(ha),
      };
    default:
      return {
        name: WS,
        status: 'fail',
        summary: `cannot log in at ${ha.websocketUrl} (${result.reason})`,
        details: [
          'The REST API answered but the websocket did not: a reverse proxy in between must pass websocket upgrades (Upgrade and Connection headers) for /api/websocket.',
        ],
      };
  }
}
