import { describe, expect, it } from 'vitest';
import { verifyCredentials } from '../src/server/utils/verify-credentials';

describe('verifyCredentials', () => {
  it('accepts the documented demo accounts', async () => {
    expect(await verifyCredentials('ada', 'lovelace-demo')).toMatchObject({ id: 'u-ada', name: 'Ada Lovelace' });
    expect(await verifyCredentials('grace', 'hopper-demo')).toMatchObject({ id: 'u-grace', name: 'Grace Hopper' });
  });

  it('ignores case and surrounding spaces in the username, not in the password', async () => {
    expect(await verifyCredentials(' Ada ', 'lovelace-demo')).toMatchObject({ id: 'u-ada' });
    expect(await verifyCredentials('ada', 'Lovelace-demo')).toBeNull();
  });

  it('refuses a wrong password, another user’s password and an unknown user', async () => {
    expect(await verifyCredentials('ada', 'wrong')).toBeNull();
    expect(await verifyCredentials('ada', 'hopper-demo')).toBeNull();
    expect(await verifyCredentials('nobody', 'lovelace-demo')).toBeNull();
    expect(await verifyCredentials('', '')).toBeNull();
  });
});
