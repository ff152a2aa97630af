// config.secret given as a function (Cloudflare Workers: `secret: () => env.SESSION_SECRET`): called once, when the
// config is first resolved, and checked like a string.
import { createStorage } from 'unstorage';
import { afterEach, expect, it, vi } from 'vitest';
import { resolveSessionConfig } from './config';

const store = createStorage();
const longSecret = 'abcdefghijklmnopqrstuvwxyz0123456789';

afterEach(() => vi.unstubAllGlobals());

it('calls a secret function once, when the config is first resolved', () => {
  const secret = vi.fn(() => [longSecret, `${longSecret}-old`]);
  const config = { store, secret };
  expect(secret).not.toHaveBeenCalled();
  expect(resolveSessionConfig(config).secrets).toEqual([longSecret, `${longSecret}-old`]);
  expect(resolveSessionConfig(config).secrets).toEqual([longSecret, `${longSecret}-old`]);
  expect(secret).toHaveBeenCalledTimes(1);
});

it('checks what the function returns like a secret given as a string', () => {
  expect(() => resolveSessionConfig({ store, secret: () => undefined as unknown as string })).toThrowError(
    expect.objectContaining({ code: 'CONFIG_ERROR', message: expect.stringContaining("process.env['SESSION_SECRET']") }),
  );
});

it("on a Worker, an empty secret's error says to pass a function reading the Worker's env", () => {
  vi.stubGlobal('navigator', { userAgent: 'Cloudflare-Workers' });
  expect(() => resolveSessionConfig({ store, secret: '' })).toThrowError(
    /secret: \(\) => env\.SESSION_SECRET, with import \{ env \} from 'cloudflare:workers'.*nodejs_compat/,
  );
});
