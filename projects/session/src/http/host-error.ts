import type { SessionError } from '../core/errors';

/**
 * A `SessionError` as the HTTP error h3 recognises as its own, in either major: v1's `isError` (the class's
 * `__h3_error__`) and v2's `HTTPError.isError` (an Error named 'HTTPError' with a numeric status). v2 hosts answer
 * other errors with a bare 500 (Nitro 3 drops their headers too), and v1 logs every other error as unhandled. The
 * answer carries the code's fixed status text, never the message; the original error is the `cause`, and one of
 * status 500 or more is logged.
 */
export function asHostError(error: SessionError): Error {
  if (error.status >= 500) console.error(error);
  return new SessionHttpError(error);
}

class SessionHttpError extends Error {
  /** What h3 v1's isError() looks for. */
  static readonly __h3_error__ = true;
  override get name(): string {
    return 'HTTPError';
  }
  readonly status: number;
  readonly statusText: string;
  /** Headers of the error response (the session's cookie and Cache-Control move here). */
  headers: Headers | undefined = undefined;
  readonly unhandled = false;
  readonly fatal = false;
  /** What h3 v1 and Nitro put in the response body's `data`. */
  readonly data: { code: string };

  constructor(override readonly cause: SessionError) {
    super(cause.statusText, { cause });
    this.status = cause.status;
    this.statusText = cause.statusText;
    this.data = { code: cause.code };
  }

  get statusCode(): number {
    return this.status;
  }

  get statusMessage(): string {
    return this.statusText;
  }

  /** The response body h3 and Nitro send: the fixed status text, and the session error's code. */
  toJSON() {
    return { status: this.status, statusText: this.statusText, message: this.statusText, data: this.data };
  }
}
