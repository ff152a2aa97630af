// src/app/pages/profile.server.ts: a page server load reads the session like any server route
import type { PageServerLoad } from '@analogjs/router';
import { getSession } from '@analog-tools/session';

export const load = async ({ event }: PageServerLoad) => {
  const session = getSession<{ user?: { id: string; name: string } }>(event);
  return { name: session?.user?.name ?? null };
};
