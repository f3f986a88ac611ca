import { errors, ok, type Route } from './http.js';
import { channelObject, guildObject, memberObject, roleObject } from './payloads.js';
import type { DiscordState } from './state.js';

/** Read-only resources: gateway info, the bot user and application, guilds, channels. */
export function resourceRoutes(state: DiscordState, gatewayUrl: () => string): Route[] {
  const get = (path: string, handle: Route['handle']): Route => ({
    method: 'GET',
    path,
    auth: true,
    handle,
  });
  return [
    get('/gateway/bot', () =>
      ok({
        url: gatewayUrl(),
        shards: 1,
        session_start_limit: {
          total: 1000,
          remaining: 999,
          reset_after: 14_400_000,
          max_concurrency: 1,
        },
      }),
    ),
    get('/gateway', () => ok({ url: gatewayUrl() })),
    get('/users/@me', () =>
      ok({ ...state.botUser, verified: true, mfa_enabled: false, email: null }),
    ),
    get('/users/:userId', (req) => {
      const user =
        req.params.userId === state.botUserId ? state.botUser : state.users.get(req.params.userId!);
      return user ? ok(user) : errors.unknownUser();
    }),
    get('/applications/@me', () =>
      ok({
        id: state.applicationId,
        name: state.botUser.username,
        icon: null,
        description: '',
        summary: '',
        type: null,
        bot_public: false,
        bot_require_code_grant: false,
        verify_key: '0'.repeat(64),
        flags: 0,
        team: null,
        owner: { id: state.ownerId, username: 'owner', discriminator: '0', avatar: null, flags: 0 },
        bot: state.botUser,
        approximate_guild_count: state.guilds.length,
        install_params: { scopes: ['bot', 'applications.commands'], permissions: '0' },
        integration_types_config: { '0': {} },
        redirect_uris: [],
        interactions_endpoint_url: null,
        tags: [],
      }),
    ),
    get('/channels/:channelId', (req) => {
      const found = state.channel(req.params.channelId!);
      return found ? ok(found.channel) : errors.unknownChannel();
    }),
    get('/guilds/:guildId', (req) => {
      const guild = state.guild(req.params.guildId!);
      return guild ? ok(guildObject(guild, state.ownerId)) : errors.unknownGuild();
    }),
    get('/guilds/:guildId/channels', (req) => {
      const guild = state.guild(req.params.guildId!);
      return guild
        ? ok(guild.channels.map((c, i) => channelObject(guild.id, c, i)))
        : errors.unknownGuild();
    }),
    get('/guilds/:guildId/roles', (req) => {
      const guild = state.guild(req.params.guildId!);
      return guild ? ok(guild.roles.map(roleObject)) : errors.unknownGuild();
    }),
    get('/guilds/:guildId/members/:userId', (req) => {
      const { guildId, userId } = req.params;
      if (!state.guild(guildId!)) return errors.unknownGuild();
      if (userId === state.botUserId) {
        return ok(memberObject(state.botUser, state.guild(guildId!)!.botRoles, state.joinedAt));
      }
      const member = state.members.get(`${guildId}:${userId}`);
      return member ? ok(member) : errors.unknownMember();
    }),
  ];
}
