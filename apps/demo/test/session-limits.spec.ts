import { describe, expect, it } from 'vitest';
import { sessionLimitSettings } from '../src/server/utils/session-limits';

describe('sessionLimitSettings', () => {
  it("leaves the library's defaults when unset or empty", () => {
    expect(sessionLimitSettings({})).toEqual({});
    expect(sessionLimitSettings({ SESSION_MAX_PER_USER: '', SESSION_LIMIT_POLICY: '' })).toEqual({});
  });

  it('takes a whole number and either policy', () => {
    expect(sessionLimitSettings({ SESSION_MAX_PER_USER: '2', SESSION_LIMIT_POLICY: 'deny-new' })).toEqual({
      maxSessionsPerUser: 2,
      sessionLimitPolicy: 'deny-new',
    });
    expect(sessionLimitSettings({ SESSION_MAX_PER_USER: '1', SESSION_LIMIT_POLICY: 'evict-oldest' })).toEqual({
      maxSessionsPerUser: 1,
      sessionLimitPolicy: 'evict-oldest',
    });
  });

  it('refuses any other value at start, naming the variable', () => {
    for (const value of ['0', '-1', '1.5', '2x', ' 2', '01', '1e3', '1000000']) {
      expect(() => sessionLimitSettings({ SESSION_MAX_PER_USER: value }), value).toThrow(/SESSION_MAX_PER_USER must be a whole number/);
    }
    for (const value of ['evict', 'deny', 'DENY-NEW', ' deny-new']) {
      expect(() => sessionLimitSettings({ SESSION_LIMIT_POLICY: value }), value).toThrow(
        /SESSION_LIMIT_POLICY must be 'evict-oldest' or 'deny-new'/,
      );
    }
  });
});
