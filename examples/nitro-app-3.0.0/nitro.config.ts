// nitro.config.ts (nitro@3.0.0): server files under server/, one prerendered route
import { defineNitroConfig } from 'nitro/config';

export default defineNitroConfig({
  srcDir: 'server', // 3.0.0's name for what later releases call serverDir
  // Rendered once at build time, with no cookie, no secret and no store: the page is anonymous.
  prerender: { routes: ['/prerendered'] },
});
