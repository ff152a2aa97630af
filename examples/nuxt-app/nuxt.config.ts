// nuxt.config.ts: server-rendered on every request, nothing prerendered
export default defineNuxtConfig({
  compatibilityDate: '2026-12-01',
  devtools: { enabled: false },
});
