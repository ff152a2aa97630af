import { defineProject } from 'vitest/config';

/** A Vitest project of the server library: `include` relative to projects/session, `env` for its processes. */
export function sessionProject(name: string, include: string[], env: Record<string, string> = {}) {
  return defineProject({
    // README examples import the package by its name.
    resolve: { alias: { '@analog-tools/session': new URL('./src/index.ts', import.meta.url).pathname } },
    test: {
      name,
      root: import.meta.dirname,
      environment: 'node',
      include,
      env,
      testTimeout: 30_000,
      hookTimeout: 30_000,
    },
  });
}
