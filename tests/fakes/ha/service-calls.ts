import type { HaCore } from './core.js';
import {
  ServiceError,
  SERVICES,
  checkFields,
  findService,
  type ServiceSpec,
  type StateUpdate,
} from './services.js';
import { domainOf } from './state-machine.js';
import type {
  FakeContext,
  HaError,
  RecordedServiceCall,
  ServiceHandler,
  ServiceHandlerResult,
} from './types.js';

export interface CallServiceMessage {
  domain: string;
  service: string;
  service_data?: Record<string, unknown>;
  target?: Record<string, unknown>;
  return_response?: boolean;
}

/** HA's error payload; translated errors also name their translation. */
export interface ErrorPayload extends HaError {
  translation_key?: string;
  translation_placeholders?: Record<string, string>;
  translation_domain?: string;
}

export type Outcome = { result: unknown } | { error: ErrorPayload };

const ON_OFF = new Set(['turn_on', 'turn_off', 'toggle']);
const TARGET_KEYS = ['entity_id', 'device_id', 'area_id'];

function translated(
  code: string,
  message: string,
  key: string,
  placeholders: Record<string, string>,
): ErrorPayload {
  return {
    code,
    message,
    translation_key: key,
    translation_placeholders: placeholders,
    translation_domain: 'homeassistant',
  };
}

/**
 * `call_service` as HA runs it with `blocking=True`: the state change is written before the
 * result is sent (both then leave in one coalesced frame), unless a delay is configured.
 */
export class ServiceCalls {
  readonly records: RecordedServiceCall[] = [];
  handler: ServiceHandler | null = null;
  private readonly failures: HaError[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly core: HaCore,
    private readonly delayMs: number,
  ) {}

  failNext(error: HaError): void {
    this.failures.push(error);
  }

  cancelPending(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  async call(msg: CallServiceMessage): Promise<Outcome> {
    const context = this.core.userContext();
    const record: RecordedServiceCall = {
      domain: msg.domain,
      service: msg.service,
      ...(msg.service_data === undefined ? {} : { service_data: msg.service_data }),
      ...(msg.target === undefined ? {} : { target: msg.target }),
      ...(msg.return_response === undefined ? {} : { return_response: msg.return_response }),
      contextId: context.id,
      at: Date.now(),
    };
    this.records.push(record);

    const failure = this.failures.shift();
    if (failure !== undefined) return { error: failure };
    const custom = (await this.handler?.(record)) ?? undefined;
    if (custom?.error !== undefined) return { error: custom.error };

    const spec = findService(msg.domain, msg.service, this.core.machine.states);
    if (spec === undefined && custom === undefined) {
      return {
        error: translated(
          'not_found',
          `Service ${msg.domain}.${msg.service} not found.`,
          'service_not_found',
          { domain: msg.domain, service: msg.service },
        ),
      };
    }
    const returnResponse = msg.return_response === true;
    if (spec !== undefined && custom === undefined) {
      const problem = responseProblem(spec, returnResponse);
      if (problem !== undefined) return { error: problem };
    }
    try {
      if (spec !== undefined && custom?.noStateChange !== true) {
        this.applyLater(spec, msg, context);
      }
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      return { error: { code: error.code, message: error.message } };
    }
    return { result: resultOf(context, returnResponse, custom) };
  }

  /** Works out every change first, so a failing entity leaves all states untouched. */
  private applyLater(spec: ServiceSpec, msg: CallServiceMessage, context: FakeContext): void {
    const data = { ...msg.service_data };
    checkFields(spec, data);
    if (spec.target === undefined) return;
    const target: Record<string, unknown> = { ...msg.target };
    for (const key of TARGET_KEYS) {
      if (key in data) {
        target[key] = data[key];
        delete data[key];
      }
    }
    const { machine, registries } = this.core;
    const domain = spec.target === '*' ? undefined : spec.target;
    const updates: { entityId: string; update: StateUpdate }[] = [];
    for (const entityId of registries.resolveTarget(target, machine.states, domain)) {
      const current = machine.states.get(entityId);
      if (current === undefined) continue; // HA only warns about missing entities
      const entitySpec =
        spec.target === '*' && msg.domain === 'homeassistant' && ON_OFF.has(msg.service)
          ? SERVICES[domainOf(entityId)]?.[msg.service]
          : spec;
      if (entitySpec?.apply === undefined || domainOf(entityId) !== entitySpec.target) continue;
      const update = entitySpec.apply(current, data);
      if (update !== undefined) updates.push({ entityId, update });
    }
    const apply = () => {
      for (const { entityId, update } of updates) {
        const current = machine.states.get(entityId);
        if (current === undefined) continue;
        const attributes = { ...current.attributes, ...update.attributes };
        machine.set(entityId, update.state, attributes, context);
      }
    };
    if (this.delayMs <= 0) {
      apply();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      apply();
    }, this.delayMs);
    this.timers.add(timer);
  }
}

/** HA 2024.3's wording, checked against the real thing (tests/e2e/real-ha.smoke.test.ts). */
function responseProblem(spec: ServiceSpec, returnResponse: boolean): ErrorPayload | undefined {
  if (returnResponse && spec.response === undefined) {
    return {
      code: 'unknown_error',
      message: 'Invalid argument return_response=True when handler does not support responses',
    };
  }
  if (!returnResponse && spec.response === 'only') {
    return {
      code: 'unknown_error',
      message: 'Service call requires responses but caller did not ask for responses',
    };
  }
  return undefined;
}

function resultOf(
  context: FakeContext,
  returnResponse: boolean,
  custom: ServiceHandlerResult | undefined,
): Record<string, unknown> {
  return returnResponse ? { context, response: custom?.response ?? null } : { context };
}
