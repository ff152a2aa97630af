import type { SessionError } from '../core/errors';

/**
 * A `SessionError` as the HTTP error an h3 v2 host recognises (h3's `HTTPError.isError`: an Error named
 * 'HTTPError' with a numeric status). Hosts answer other errors with a bare 500 (Nitro 3 drops their headers
 * too), so a 401 or 503 of the session would become a 500. The answer carries the code's fixed status text,
 * never the message; the original error is the `cause`, and one of status 500 or more is logged.
 */
export function asHostError(error: SessionError): Error {
  if (error.status >= 500) console.error(error);
  return new SessionHttpError(error);
}

class SessionHttpError extends Error {
  override get name(): string {
    return 'HTTPError';
  }
  readonly status: number;
  readonly statusText: string;
  /** Headers of the error response (the session's cookie and Cache-Control move here). */
  headers: Headers | undefined = undefined;
  readonly unhandled = false;

  constructor(override readonly cause: SessionError) {
    super(cause.statusText, { cause });
    this.status = cause.status;
    this.statusText = cause.statusText;
  }

  get statusCode(): number {
    return this.status;
  }

  get statusMessage(): string {
    return this.statusText;
  }

  /** The response body h3 and Nitro send: the fixed status text, and the session error's code. */
  toJSON() {
    return { status: this.status, statusText: this.statusText, message: this.statusText, data: { code: this.cause.code } };
  }
}
