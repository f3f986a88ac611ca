import { button } from '../discord/custom-id.js';
import { code, LIMITS, safe } from '../discord/format.js';
import type { MessageData } from '../discord/message-data.js';
import type { CatalogEntry } from '../entities/catalog.js';
import { truncate } from '../entities/text.js';
import { toHaError } from '../ha/errors.js';
import type { LogbookEntry } from '../ha/history.js';
import { entityChoices } from './entity-option.js';
import { periodText, readPeriod } from './history.js';
import { text } from './options.js';
import { describeHaError } from './replies.js';
import { refuse, type Reply } from './reply.js';
import { resolveTargets } from './runner.js';
import type { Caller, CommandContext, CommandSpec, Refusal, TargetSpec, Targets } from './types.js';

/** Lines per page: 15 lines of at most 250 characters stay under an embed's 4,096. */
export const PAGE_LINES = 15;
const LINE_CHARS = 250;
const DAY = 86_400_000;

/** What a logbook shows: everything the person may read, or some entities (a target). */
interface Scope {
  /** What was typed ('' for everything): kept in the page buttons and resolved again. */
  target: string;
  /** Undefined: every entity. */
  entries?: readonly CatalogEntry[];
  title: string;
  start: number;
  end: number;
}

/** Who or what caused an entry, in words, as far as HA knows it. */
function cause(
  entry: LogbookEntry,
  people: () => Map<string, string>,
  ctx: CommandContext,
): string {
  const name = (id: string | undefined) =>
    id === undefined ? undefined : (ctx.catalog.get(id)?.name ?? id);
  if (entry.causeEvent === 'automation_triggered')
    return ` — by automation **${safe(entry.causeName ?? name(entry.causeEntityId) ?? '?', 80)}**`;
  if (entry.causeEvent === 'script_started')
    return ` — by script **${safe(entry.causeName ?? name(entry.causeEntityId) ?? '?', 80)}**`;
  if (entry.userId !== undefined) {
    const person = people().get(entry.userId);
    return person !== undefined ? ` — by **${safe(person, 80)}**` : ' — by an HA user';
  }
  if (entry.causeEvent === 'call_service' && entry.causeDomain && entry.causeService)
    return ` — by ${code(`${entry.causeDomain}.${entry.causeService}`, 60)}`;
  if (entry.causeEntityId !== undefined)
    return ` — after **${safe(name(entry.causeEntityId) ?? '?', 80)}** changed`;
  return '';
}

function what(entry: LogbookEntry): string {
  if (entry.state !== undefined) {
    if (entry.state === 'on') return 'turned on';
    if (entry.state === 'off') return 'turned off';
    return `changed to ${code(entry.state, 40)}`;
  }
  return safe(entry.message ?? 'logged an event', 120);
}

/** Every line of the logbook this person may see, newest first. */
function lines(
  entries: readonly LogbookEntry[],
  caller: Caller,
  ctx: CommandContext,
  long: boolean,
): string[] {
  const allowed = ctx.access.filter(caller, 'read');
  let persons: Map<string, string> | undefined;
  // person.* entities carry their HA user's id: who "a user" was. Read once, when needed.
  const people = () => {
    if (persons === undefined) {
      persons = new Map();
      for (const e of ctx.catalog.list()) {
        if (e.domain !== 'person') continue;
        const userId = ctx.catalog.state(e.entityId)?.attributes.user_id;
        if (typeof userId === 'string') persons.set(userId, e.name);
      }
    }
    return persons;
  };
  const out: string[] = [];
  for (const entry of entries) {
    // Only what this person may read; events of no entity (HA started...) are left out.
    const catalogEntry = entry.entityId ? ctx.catalog.get(entry.entityId) : undefined;
    if (catalogEntry === undefined || !allowed(catalogEntry)) continue;
    const sec = Math.floor(entry.at / 1000);
    const when = long ? `<t:${sec}:d> <t:${sec}:t>` : `<t:${sec}:t>`;
    const who = entry.name && entry.state === undefined ? entry.name : catalogEntry.name;
    out.push(
      truncate(
        `${when} **${safe(who, 60)}** ${what(entry)}${cause(entry, people, ctx)}`,
        LINE_CHARS,
      ),
    );
  }
  return out;
}

/** One page of the logbook as a message, with Previous/Next buttons when there are more. */
async function logbookPage(
  scope: Scope,
  page: number,
  caller: Caller,
  ctx: CommandContext,
): Promise<{ ok: true; message: MessageData } | { ok: false; text: string }> {
  try {
    const entries = await ctx.history.logbook(
      scope.start,
      scope.end,
      scope.entries?.map((e) => e.entityId),
    );
    if (entries === undefined)
      return {
        ok: false,
        text: 'Home Assistant keeps no logbook: it needs its `logbook:` and `recorder:` integrations (`default_config:` loads both).',
      };
    const all = lines(entries, caller, ctx, scope.end - scope.start > DAY);
    const period = periodText(scope.end - scope.start);
    if (all.length === 0)
      return { ok: false, text: `Nothing in the logbook that you may see in the last ${period}.` };
    const pages = Math.ceil(all.length / PAGE_LINES);
    const at = Math.min(Math.max(page, 0), pages - 1);
    const args = [
      scope.target,
      String(Math.floor(scope.start / 1000)),
      String(Math.floor(scope.end / 1000)),
    ];
    // A target with a colon would not survive the custom id: no pages then.
    const paged = pages > 1 && !scope.target.includes(':');
    return {
      ok: true,
      message: {
        embeds: [
          {
            title: safe(`${scope.title} · last ${period}`, LIMITS.title),
            description: all.slice(at * PAGE_LINES, (at + 1) * PAGE_LINES).join('\n'),
            color: 0x4fc3f7,
            footer: { text: `Page ${at + 1} of ${pages} · ${all.length} entries, newest first` },
          },
        ],
        buttons: paged
          ? [
              ...(at > 0
                ? [{ id: button('logbook', ...args, String(at - 1)), label: '◀ Previous' }]
                : []),
              ...(at < pages - 1
                ? [{ id: button('logbook', ...args, String(at + 1)), label: 'Next ▶' }]
                : []),
            ]
          : [],
      },
    };
  } catch (raw) {
    const error = toHaError(raw);
    ctx.log.warn(
      { code: error.code, err: error.message },
      'could not read the logbook from Home Assistant',
    );
    return { ok: false, text: describeHaError(error) };
  }
}

const isTargets = (x: Targets | Reply): x is Targets =>
  x.kind === 'entity' || x.kind === 'group' || x.kind === 'none';

const TARGET: TargetSpec<number> = {
  option: 'entity',
  optional: true,
  action: 'read',
  verb: () => 'shown',
  groups: 'visible',
  menu: true,
  carry: ['period'],
  nothing: 'Nothing to show.',
  invisible: (_, group) => `You may not see anything in ${safe(group ?? '', 100)}.`,
  gone: (entityId) => `${code(entityId, 100)} no longer exists in Home Assistant.`,
};

/** `/ha logbook [entity:] [period:]`: HA's logbook as text, who or what caused each change. */
export const logbookCommand: CommandSpec<number> = {
  name: 'logbook',
  description: 'Who or what changed things: HA’s logbook, newest first',
  options: [
    {
      type: 'string',
      name: 'entity',
      description: 'Entity, area, floor or label (default: everything you may see)',
      maxLength: 200,
      autocomplete: true,
    },
    {
      type: 'string',
      name: 'period',
      description: 'How far back, e.g. 1h, 24h (default), 7d',
      maxLength: 32,
    },
  ],
  needs: 'entities',
  prepare: ({ options }): number | Refusal => {
    const period = readPeriod(text(options, 'period'));
    return period.ok ? period.ms : { refused: period.problem };
  },
  target: TARGET,

  plan({ caller, options }, targets, periodMs, ctx): Reply {
    const end = Date.now();
    const scope: Scope =
      targets.kind === 'entity'
        ? {
            target: targets.entry.entityId,
            entries: [targets.entry],
            title: `Logbook · ${targets.entry.name}`,
            start: end - periodMs,
            end,
          }
        : targets.kind === 'group'
          ? {
              target: (text(options, 'entity') ?? '').trim(),
              entries: targets.entries,
              title: `Logbook · ${targets.name}`,
              start: end - periodMs,
              end,
            }
          : { target: '', title: 'Logbook', start: end - periodMs, end };
    const what = scope.entries?.length === 1 ? `\`${scope.target}\`` : 'the logbook';
    return {
      kind: 'slow',
      working: `Reading ${what === 'the logbook' ? what : `the logbook of ${what}`}…`,
      done: `Logbook posted.`,
      run: async () => {
        const page = await logbookPage(scope, 0, caller, ctx);
        return page.ok ? { kind: 'show', message: page.message } : refuse(page.text);
      },
    };
  },

  autocomplete: (input, ctx) => entityChoices(input, ctx, 'read'),

  /** Previous/Next: the same period again (HA is asked anew), another page. */
  async button([target = '', startSec, endSec, pageText], input, ctx): Promise<Reply> {
    const start = Number(startSec) * 1000;
    const end = Number(endSec) * 1000;
    const page = Number(pageText);
    if (!Number.isFinite(start) || !Number.isFinite(end) || !Number.isInteger(page) || end <= start)
      return refuse('That button is no longer in use. Run the command again.');
    // The target again, for whoever pressed: the policy may see it differently.
    const targets = resolveTargets(
      TARGET,
      'logbook',
      { ...input, options: target ? { entity: target } : {} },
      0,
      ctx,
    );
    if (!isTargets(targets)) return refuse('That logbook changed. Run the command again.');
    const entries =
      targets.kind === 'entity'
        ? [targets.entry]
        : targets.kind === 'group'
          ? targets.entries
          : undefined;
    const title =
      targets.kind === 'entity'
        ? `Logbook · ${targets.entry.name}`
        : targets.kind === 'group'
          ? `Logbook · ${targets.name}`
          : 'Logbook';
    const result = await logbookPage(
      { target, entries, title, start, end },
      page,
      input.caller,
      ctx,
    );
    return result.ok ? { kind: 'replace', message: result.message } : refuse(result.text);
  },
};
