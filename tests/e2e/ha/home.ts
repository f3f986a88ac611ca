/** Drives the entities of the end-to-end Home Assistant's own config (tests/e2e/ha/config). */
import type { RealHa } from './real-ha.js';

/** Sets input_number.temperature, which the template sensor.temp (Temp, °C) follows. */
export async function setTemperature(ha: RealHa, value: number): Promise<void> {
  await ha.ws({
    type: 'call_service',
    domain: 'input_number',
    service: 'set_value',
    target: { entity_id: 'input_number.temperature' },
    service_data: { value },
  });
}
