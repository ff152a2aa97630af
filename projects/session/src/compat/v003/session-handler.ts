import { destroySession } from '../../api/destroy-session';
import { refetchSession } from '../../api/refetch-session';
import { regenerateSession } from '../../api/regenerate-session';
import { updateSession } from '../../api/update-session';
import { eventContext, type SessionEvent } from '../../http/event';
import { getSessionState, requireSessionState } from '../../http/session-state';
import type { SessionCookie, SessionDataT, SessionHandler } from './v003-types';

/** Where the v0.0.3 API put the handler. */
export const SESSION_HANDLER_KEY = 'sessionHandler';

/** What this request changed between `base` (as loaded or last saved) and `local`: `undefined` deletes a key. */
function changesOf(base: Readonly<SessionDataT>, local: Readonly<SessionDataT>): Partial<SessionDataT> {
  const changes: Record<string, unknown> = {};
  for (const key of Object.keys(local)) if (!(key in base) || base[key] !== local[key]) changes[key] = local[key];
  for (const key of Object.keys(base)) if (!(key in local)) changes[key] = undefined;
  return changes as Partial<SessionDataT>;
}

/**
 * Builds the v0.0.3 `event.context.sessionHandler` over this package's session of the request. Changes stay
 * in the handler until save(), which applies them (and only them) to the freshest stored copy, so two
 * requests saving different keys of one session keep both.
 */
export function createSessionHandler<T extends SessionDataT = SessionDataT>(event: SessionEvent): SessionHandler<T> {
  const state = requireSessionState<T>(event, 'useSession()');
  let base: Readonly<T> = Object.freeze({ ...state.data });
  let local: Readonly<T> = base;
  const adopt = (data: T) => {
    base = local = Object.freeze({ ...data });
  };

  const handler: SessionHandler<T> = {
    get id() {
      return getSessionState(event)?.id ?? '';
    },
    get cookie(): SessionCookie {
      const { path, httpOnly, secure, sameSite, domain } = state.config.cookie;
      return Object.freeze({ path, httpOnly, secure, sameSite, domain, maxAge: state.config.maxAge });
    },
    get data() {
      return local;
    },
    update(updater) {
      local = Object.freeze({ ...local, ...updater(local) }) as Readonly<T>;
      return handler;
    },
    set(newData) {
      local = Object.freeze({ ...newData });
      return handler;
    },
    async save() {
      const changes = changesOf(base, local);
      await updateSession<T>(event, () => changes as Partial<T>);
      adopt(requireSessionState<T>(event, 'save()').data);
    },
    async reload() {
      adopt((await refetchSession<T>(event)) ?? state.config.generate());
    },
    async destroy() {
      await destroySession(event);
    },
    async regenerate() {
      const current = requireSessionState<T>(event, 'regenerate()');
      if (current.key) await regenerateSession(event);
      const fresh = current.config.generate();
      // As in v0.0.3 (and express-session), the new session starts from fresh data.
      const cleared = (stored: T) => Object.fromEntries(Object.keys(stored).map((key) => [key, undefined]));
      await updateSession<T>(event, (stored) => ({ ...cleared(stored), ...fresh }) as Partial<T>);
      adopt(current.data);
    },
  };
  return handler;
}

/** Puts a handler on `event.context.sessionHandler` unless one is there. */
export function attachSessionHandler(event: SessionEvent): void {
  eventContext(event)[SESSION_HANDLER_KEY] ??= createSessionHandler(event);
}
