import { HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { Injector, inject } from '@angular/core';
import { tap } from 'rxjs';

import { SESSION_UNAUTHORIZED_REFRESH } from './session-config';
import { SESSION_OWN_REQUEST } from './session-http-context';
import { SessionService } from './session.service';

/**
 * Re-reads the session summary when an API call answers 401, so the UI learns that the session
 * ended (expired, revoked, logged out elsewhere). The error still reaches the caller. The summary and
 * logout requests of `SessionService` are left alone, so a 401 from them cannot start a loop; a 401 while
 * the visitor is already anonymous (e.g. a failed login) tells nothing new and is left alone too.
 * Turned off with `withUnauthorizedRefresh(false)`.
 */
export const sessionUnauthorizedInterceptor: HttpInterceptorFn = (req, next) => {
  if (req.context.get(SESSION_OWN_REQUEST) || !inject(SESSION_UNAUTHORIZED_REFRESH)) return next(req);
  // SessionService is looked up only on a 401: it may be under construction while its own first read runs.
  const injector = inject(Injector);
  return next(req).pipe(
    tap({
      error: (error: unknown) => {
        if (error instanceof HttpErrorResponse && error.status === 401) {
          const session = injector.get(SessionService);
          if (session.status() !== 'anonymous') session.refresh().catch(() => undefined);
        }
      },
    }),
  );
};
