import { requireSession } from '@analog-tools/session';
import type { H3Event } from 'h3';
import type { DemoSession } from '../session-config';

/** The session of a signed-in user; throws 401 for anonymous requests. */
export function requireUser(event: H3Event): DemoSession & Required<Pick<DemoSession, 'user'>> {
  return requireSession<DemoSession>(event, (session) => Boolean(session.user)) as DemoSession & Required<Pick<DemoSession, 'user'>>;
}
