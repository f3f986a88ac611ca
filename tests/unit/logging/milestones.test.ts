import { createLogger } from '../../../src/logging/logger.js';
import { milestone, MILESTONES } from '../../../src/logging/milestones.js';
import { captureLines } from '../../helpers/log-lines.js';

describe('milestones', () => {
  it('are a stable field on the JSON line, beside the words', () => {
    const { lines, stream } = captureLines();
    const log = createLogger({ level: 'info', secrets: [] }, stream);
    log.info({ ...milestone('ha.connected'), haVersion: '2024.3.3' }, 'Home Assistant connected');
    expect(JSON.parse(lines[0]!)).toMatchObject({
      milestone: 'ha.connected',
      msg: 'Home Assistant connected',
      haVersion: '2024.3.3',
    });
  });

  it('leave the readable text line as it was', () => {
    const { lines, stream } = captureLines();
    const log = createLogger({ level: 'info', secrets: [], format: 'text' }, stream);
    log.info({ ...milestone('ha.connected'), haVersion: '2024.3.3' }, 'Home Assistant connected');
    log.info({ haVersion: '2024.3.3' }, 'Home Assistant connected');
    const strip = (line: string) => line.replace(/^\S+ \S+ /, '');
    expect(strip(lines[0]!)).toBe(strip(lines[1]!));
    expect(lines[0]).not.toContain('milestone');
  });

  it('have distinct dotted names', () => {
    expect(new Set(MILESTONES).size).toBe(MILESTONES.length);
    for (const name of MILESTONES) expect(name).toMatch(/^[a-z-]+\.[a-z-]+$/);
  });
});
