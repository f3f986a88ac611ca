import type { MessageBase } from 'home-assistant-js-websocket';

interface Commander {
  command<T>(message: MessageBase, timeoutMs?: number): Promise<T>;
}

/** `get_services`' shape (HA core/websocket_api/commands.py, services.yaml descriptions). */
interface RawField {
  name?: string;
  description?: string;
  required?: boolean;
  example?: unknown;
}
interface RawService {
  name?: string;
  description?: string;
  fields?: Record<string, RawField | Record<string, unknown>>;
  target?: { entity?: { domain?: string[] }[] } | null;
  response?: { optional?: boolean };
}
type RawServices = Record<string, Record<string, RawService>>;

export interface ServiceField {
  key: string;
  required: boolean;
  example: unknown;
}

export interface ServiceInfo {
  /** `light.turn_on` */
  id: string;
  domain: string;
  service: string;
  name: string;
  fields: ServiceField[];
  /** Whether it takes a target; `domains` limits which entities (empty: any). */
  target: { domains: string[] } | undefined;
  /** Whether it can return data, and whether it only works when asked for it. */
  response: 'none' | 'optional' | 'only';
}

function toInfo(domain: string, service: string, raw: RawService): ServiceInfo {
  const fields: ServiceField[] = [];
  for (const [key, field] of Object.entries(raw.fields ?? {})) {
    // HA 2024.8+ nests fields in collapsible sections; take theirs too.
    const nested = (field as { fields?: Record<string, RawField> }).fields;
    const entries: [string, RawField][] = nested ? Object.entries(nested) : [[key, field]];
    for (const [k, f] of entries)
      fields.push({ key: k, required: f.required === true, example: f.example });
  }
  const target = raw.target
    ? { domains: (raw.target.entity ?? []).flatMap((e) => e.domain ?? []) }
    : undefined;
  return {
    id: `${domain}.${service}`,
    domain,
    service,
    name: raw.name || service.replace(/_/g, ' '),
    fields,
    target,
    response: raw.response ? (raw.response.optional ? 'optional' : 'only') : 'none',
  };
}

/**
 * HA's services as `/ha call` needs them: loaded on first use and kept for a minute, so
 * autocomplete answers from memory and a new integration's services show up soon.
 */
export class ServiceDirectory {
  private cached: { at: number; list: ServiceInfo[]; byId: Map<string, ServiceInfo> } | undefined;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly ha: Commander,
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async list(): Promise<readonly ServiceInfo[]> {
    await this.refresh();
    return this.cached?.list ?? [];
  }

  async get(id: string): Promise<ServiceInfo | undefined> {
    await this.refresh();
    return this.cached?.byId.get(id);
  }

  private async refresh(): Promise<void> {
    if (this.cached && this.now() - this.cached.at < this.ttlMs) return;
    this.loading ??= this.load();
    try {
      await this.loading;
    } catch (error) {
      // HA away: a list from a minute ago beats none.
      if (this.cached === undefined) throw error;
    }
  }

  private load(): Promise<void> {
    return this.ha
      .command<RawServices>({ type: 'get_services' })
      .then((raw) => {
        const list = Object.entries(raw)
          .flatMap(([domain, services]) =>
            Object.entries(services).map(([service, info]) => toInfo(domain, service, info)),
          )
          .sort((a, b) => a.id.localeCompare(b.id));
        this.cached = { at: this.now(), list, byId: new Map(list.map((s) => [s.id, s])) };
      })
      .finally(() => {
        this.loading = undefined;
      });
  }
}

/** The services whose id or name contains every word typed, best first (id prefix, id, name). */
export function matchServices(
  list: readonly ServiceInfo[],
  typed: string,
  limit: number,
): ServiceInfo[] {
  const words = typed.toLowerCase().trim().split(/\s+/).filter(Boolean);
  const first = words[0] ?? '';
  const scored: { info: ServiceInfo; score: number }[] = [];
  for (const info of list) {
    const hay = `${info.id} ${info.name.toLowerCase()}`;
    if (!words.every((w) => hay.includes(w))) continue;
    const score =
      info.id.startsWith(first) || info.service.startsWith(first)
        ? 0
        : info.id.includes(first)
          ? 1
          : 2;
    scored.push({ info, score });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.info.id.localeCompare(b.info.id))
    .slice(0, limit)
    .map((s) => s.info);
}
