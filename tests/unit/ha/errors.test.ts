import { errorOutcome, HaError, toHaError } from '../../../src/ha/errors.js';

describe('errorOutcome', () => {
  it("keeps HA's and the bot's error codes, and folds any other into one label value", () => {
    expect(errorOutcome(toHaError({ code: 'service_validation_error', message: 'x' }))).toBe(
      'service_validation_error',
    );
    expect(errorOutcome(new HaError('timeout', 'slow'))).toBe('timeout');
    expect(errorOutcome(toHaError(3))).toBe('connection_lost');
    expect(errorOutcome(new HaError('a_code_from_a_future_ha', 'x'))).toBe('other');
  });
});
