import { errors, noContent, ok, type RestRequest, type RestResponse, type Route } from './http.js';
import { commandObject, snowflake } from './payloads.js';
import type { DiscordState } from './state.js';
import type { Json } from './types.js';

/** Global and guild application commands: bulk overwrite, create (upsert), list, edit, delete. */
export function commandRoutes(state: DiscordState): Route[] {
  const bases = ['/applications/:app/commands', '/applications/:app/guilds/:guild/commands'];
  return bases.flatMap((base) => [
    { method: 'GET', path: base, auth: true, handle: (req) => withScope(req, (s) => ok(s.list)) },
    { method: 'PUT', path: base, auth: true, handle: (req) => withScope(req, (s) => bulk(req, s)) },
    {
      method: 'POST',
      path: base,
      auth: true,
      handle: (req) => withScope(req, (s) => create(req, s)),
    },
    {
      method: 'GET',
      path: `${base}/:command`,
      auth: true,
      handle: (req) => withScope(req, (s) => withCommand(req, s, (c) => ok(c))),
    },
    {
      method: 'PATCH',
      path: `${base}/:command`,
      auth: true,
      handle: (req) => withScope(req, (s) => withCommand(req, s, (c) => edit(req, s, c))),
    },
    {
      method: 'DELETE',
      path: `${base}/:command`,
      auth: true,
      handle: (req) =>
        withScope(req, (s) =>
          withCommand(req, s, (c) => {
            s.save(s.list.filter((x) => x !== c));
            return noContent();
          }),
        ),
    },
  ]);

  interface Scope {
    guildId?: string;
    list: Json[];
    save(list: Json[]): void;
    route: string;
  }

  function withScope(req: RestRequest, fn: (scope: Scope) => RestResponse): RestResponse {
    const guildId = req.params.guild;
    if (req.params.app !== state.applicationId) return errors.missingAccess();
    if (guildId !== undefined && !state.guild(guildId)) return errors.missingAccess();
    return fn({
      guildId,
      list:
        guildId === undefined ? state.commands.global : (state.commands.guild.get(guildId) ?? []),
      route: `${req.method} /applications/:app${guildId === undefined ? '' : '/guilds/:guild'}/commands`,
      save(list) {
        if (guildId === undefined) state.commands.global.splice(0, Infinity, ...list);
        else state.commands.guild.set(guildId, list);
        state.commandRegistrations += 1;
        state.changes.notify();
      },
    });
  }

  function withCommand(req: RestRequest, s: Scope, fn: (c: Json) => RestResponse): RestResponse {
    const command = s.list.find((c) => c.id === req.params.command);
    return command ? fn(command) : errors.unknownCommand();
  }

  /** Like Discord, a command keeps its id when one with the same name and type is replaced. */
  function build(s: Scope, body: Json): Json {
    const same = s.list.find((c) => c.name === body.name && c.type === (body.type ?? 1));
    return commandObject(
      state.applicationId,
      body,
      same?.id ?? snowflake(),
      snowflake(),
      s.guildId,
    );
  }

  function bulk(req: RestRequest, s: Scope): RestResponse {
    const invalid = state.rejectInvalid(s.route, 'commandBulkOverwrite', req.body);
    if (invalid) return invalid;
    const list = (req.body as Json[]).map((body) => build(s, body));
    s.save(list);
    return ok(list);
  }

  function create(req: RestRequest, s: Scope): RestResponse {
    const invalid = state.rejectInvalid(s.route, 'commandCreate', req.body);
    if (invalid) return invalid;
    const command = build(s, req.body);
    const exists = s.list.some((c) => c.id === command.id);
    s.save([...s.list.filter((c) => c.id !== command.id), command]);
    return ok(command, exists ? 200 : 201);
  }

  function edit(req: RestRequest, s: Scope, current: Json): RestResponse {
    const invalid = state.rejectInvalid(`${s.route}/:command`, 'commandEdit', req.body);
    if (invalid) return invalid;
    const body = { ...current, ...req.body };
    const command = commandObject(state.applicationId, body, current.id, snowflake(), s.guildId);
    s.save(s.list.map((c) => (c === current ? command : c)));
    return ok(command);
  }
}
