import { buildCommands } from '../../src/commands/registry.js';
import { encodeCustomId } from '../../src/discord/custom-id.js';
import type {
  FakeDiscord,
  InteractionHandle,
  InteractionTarget,
} from '../fakes/discord/fake-discord.js';
import { FakeHomeAssistant } from '../fakes/ha/fake-ha.js';
import { choiceProblems, mentionProblems, messageOf, textProblems } from './fuzz/checks.js';
import { ALERT_USER_ID, DM_USER_ID, fuzzConfigFile, HOSTILE_HOME } from './fuzz/home.js';
import { interactionGenerator, tour, type FuzzInteraction } from './fuzz/interactions.js';
import { EVIL_LINK, Random } from './fuzz/random.js';
import { BotProcess } from './harness.js';
import {
  ALERT_CHANNEL_ID,
  alertsDrained,
  botEnv,
  CHANNEL_ID,
  fakeDiscord,
  GUILD_ID,
  HA_TOKEN,
  HOME_CONTROL_ROLE_ID,
  MANAGER,
  sendHa,
} from './world.js';

// FUZZ_SEED replays a run; FUZZ_COUNT makes it longer or shorter.
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 32));
const COUNT = Number(process.env.FUZZ_COUNT ?? 2000);
const CONCURRENCY = 8;
const DEADLINE_MS = 3000;

/**
 * discord.js' errors for option payloads Discord itself would not send (a missing required
 * option, an option of another type, autocomplete without a focused option): the fuzz sends
 * them on purpose, and the router answers them with its generic reply. Any other handler
 * error is a bug.
 */
const MALFORMED = [
  'CommandInteractionOptionNotFound',
  'CommandInteractionOptionType',
  'AutocompleteInteractionOptionNoFocusedOption',
];

const OTHER_GUILD_ID = '844444444444444444';
const OTHER_CHANNEL_ID = '855555555555555555';

const USERS: InteractionTarget['user'][] = [
  MANAGER,
  { id: '190000000000000003', username: 'guest' },
  { id: ALERT_USER_ID, username: 'housemate', roles: [HOME_CONTROL_ROLE_ID] },
  { id: '190000000000000005', username: 'admin', permissions: '8' },
  { id: DM_USER_ID, username: 'friend' },
  {
    id: '190000000000000006',
    username: `@everyone ${EVIL_LINK} \u202e**x**`,
    roles: ['700000000000000099', 'Home Control'],
  },
];

function target(r: Random): InteractionTarget {
  const user = r.pick(USERS);
  return r.weighted<() => InteractionTarget>([
    [80, () => ({ guildId: GUILD_ID, channelId: r.pick([CHANNEL_ID, ALERT_CHANNEL_ID]), user })],
    [10, () => ({ dm: true, user })],
    [10, () => ({ guildId: OTHER_GUILD_ID, channelId: OTHER_CHANNEL_ID, user })],
  ])();
}

function send(discord: FakeDiscord, x: FuzzInteraction): Promise<InteractionHandle> {
  if (x.kind === 'command') return discord.sendSlashCommand(x.params);
  if (x.kind === 'autocomplete') return discord.sendAutocomplete(x.params);
  return discord.sendComponent(x.params);
}

/** Short enough to read in a failure message, long enough to recognise the input. */
function describeInteraction(i: number, x: FuzzInteraction): string {
  return `#${i} ${x.kind} ${JSON.stringify(x.params).slice(0, 300)}`;
}

function countBy(items: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[item] = (counts[item] ?? 0) + 1;
  return counts;
}

function unique(items: string[]): string[] {
  return [...new Set(items)].slice(0, 20);
}

describe('hostile interactions (fuzz)', () => {
  let ha: FakeHomeAssistant;
  let discord: FakeDiscord;
  let bot: BotProcess;

  beforeAll(async () => {
    ha = new FakeHomeAssistant({ token: HA_TOKEN, ...HOSTILE_HOME });
    discord = fakeDiscord([
      {
        id: OTHER_GUILD_ID,
        name: 'Somewhere else',
        channels: [{ id: OTHER_CHANNEL_ID, name: 'general' }],
      },
    ]);
    await Promise.all([ha.start(), discord.start()]);
    bot = BotProcess.start(botEnv(ha, discord, { CONFIG_FILE: fuzzConfigFile() }));
    await bot.waitForMilestone('bridge.ready');
    await bot.waitForMilestone('ha.connected');
  });

  afterAll(async () => {
    await bot?.stop();
    await Promise.all([ha?.stop(), discord?.stop()]);
  });

  it('never crashes, answers every interaction in time, and sends only valid, ping-free messages', async () => {
    const started = Date.now();
    console.log(`fuzz: seed ${SEED}, ${COUNT} random interactions (replay: FUZZ_SEED=${SEED})`);
    const [command] = buildCommands();
    const words = [
      ...HOSTILE_HOME.entities.flatMap((e) => [
        e.entity_id,
        `${(e.attributes?.friendly_name as string | undefined) ?? ''}`,
      ]),
      ...HOSTILE_HOME.areas.map((a) => a.name),
      'fuzz lights',
      'binary_sensor.*_door',
    ];
    const fuzzWorld = {
      command: command!,
      target,
      words,
      entityIds: HOSTILE_HOME.entities.map((e) => e.entity_id),
      pickPrefix: encodeCustomId({ kind: 'pick', command: '' })!,
    };
    const generate = interactionGenerator(fuzzWorld);
    const r = new Random(SEED);
    // Generated up front, so the same seed sends the same interactions however they interleave.
    const interactions = [
      ...tour(fuzzWorld, { guildId: GUILD_ID, channelId: CHANNEL_ID, user: MANAGER }),
      ...Array.from({ length: COUNT }, () => generate(r)),
    ];

    const problems: string[] = [];
    const latencies: [number, string][] = [];
    let next = 0;
    const worker = async () => {
      while (next < interactions.length) {
        const i = next++;
        const x = interactions[i]!;
        const handle = await send(discord, x);
        try {
          await handle.waitForCallback(DEADLINE_MS + 2000);
        } catch {
          problems.push(`${describeInteraction(i, x)}: no answer within the deadline`);
          continue;
        }
        const callback = handle.replies.find((c) => c.type === 'callback' && c.status < 300)!;
        latencies.push([callback.at - handle.createdAt, describeInteraction(i, x)]);
        if (x.kind === 'autocomplete') {
          if (callback.body.type !== 8)
            problems.push(`${describeInteraction(i, x)}: not an autocomplete answer`);
        } else {
          await handle
            .waitForReply(15_000)
            .catch(() => problems.push(`${describeInteraction(i, x)}: no visible reply`));
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    // Every interaction has its visible reply; let the alerts the interactions caused go out
    // (a marker queued after them arrives last) before judging everything the bot sent. At one
    // message a second per channel the backlog can take a while (seed 738345912: 32.6 s).
    await alertsDrained({ ha, discord }, 120_000);

    const failed = bot.logs.filter((l) => l.msg === 'interaction failed');
    console.log(
      [
        `fuzz: seed ${SEED}: ${interactions.length} interactions (${COUNT} random) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
        'slowest first answers:',
        ...latencies
          .sort((a, b) => b[0] - a[0])
          .slice(0, 3)
          .map(([ms, what]) => `  ${ms} ms ${what.slice(0, 200)}`),
        `${discord.requests.length} REST requests, ${discord.messages.length} channel messages`,
        `${failed.length} handler errors answered with the generic reply: ${JSON.stringify(
          countBy(failed.map((l) => (l.err as { code?: string })?.code ?? 'no code')),
        )}`,
      ].join('\n'),
    );

    const allowance = { roles: [HOME_CONTROL_ROLE_ID], users: [ALERT_USER_ID] };
    const messages = discord.requests.filter((req) => messageOf(req) !== undefined);
    // One comparison, so a failing run shows every kind of problem at once.
    expect({
      seed: SEED,
      running: bot.running,
      problems: unique(problems),
      unanswered: discord.unanswered.slice(0, 20),
      late: discord.lateCallbacks.slice(0, 20),
      schemaErrors: discord.schemaErrors
        .slice(0, 5)
        .map((e) => ({ ...e, body: JSON.stringify(e.body).slice(0, 500) })),
      crashes: bot.logs.filter((l) => /unhandled|uncaught/i.test(l.msg)).slice(0, 5),
      handlerErrors: unique(
        failed
          .filter((l) => !MALFORMED.includes((l.err as { code?: string })?.code ?? ''))
          .map((l) => `${String(l.command)}: ${(l.err as { message?: string })?.message}`),
      ),
      mentions: unique(discord.requests.flatMap((req) => mentionProblems(req, allowance))),
      texts: unique(discord.requests.flatMap((req) => textProblems(req, allowance))),
      choices: unique(discord.requests.flatMap(choiceProblems)),
    }).toEqual({
      seed: SEED,
      running: true,
      problems: [],
      unanswered: [],
      late: [],
      schemaErrors: [],
      crashes: [],
      handlerErrors: [],
      mentions: [],
      texts: [],
      choices: [],
    });
    // Not vacuous: most interactions produced a message, and alerts carried the rule's pings.
    expect(messages.length).toBeGreaterThan(COUNT / 4);
    expect(messages.some((req) => req.allowedMentions?.roles?.includes(HOME_CONTROL_ROLE_ID))).toBe(
      true,
    );

    // And it still does its job.
    const reply = await (await sendHa(discord, 'state', { entity: 'sensor.temp' })).waitForReply();
    expect(reply.embeds[0]).toMatchObject({ title: 'Temperature', description: '21.5 °C' });
  }, 240_000);
});
