// src/env.d.ts: the Worker's bindings (wrangler.jsonc), as `import { env } from 'cloudflare:workers'` gives them
declare module 'cloudflare:workers' {
  export const env: { SESSIONS: KVNamespace; SESSION_SECRET: string };
}
interface KVNamespace {
  get(key: string, type?: 'text'): Promise<string | null>;
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>;
  delete(key: string): Promise<void>;
  list(options?: { prefix?: string; cursor?: string }): Promise<{ keys: { name: string }[]; list_complete: boolean; cursor?: string }>;
}
