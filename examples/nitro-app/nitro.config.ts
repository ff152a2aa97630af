// nitro.config.ts: server files under server/, one prerendered route
import { defineNitroConfig } from 'nitro/config';

export default defineNitroConfig({
  serverDir: './server',
  // Rendered once at build time, with no cookie, no secret and no store: the page is anonymous.
  prerender: { routes: ['/prerendered'] },
});
