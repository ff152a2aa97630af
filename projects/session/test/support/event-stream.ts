// A server-sent-events reader over a real `fetch`, as a browser tab's EventSource would connect: it keeps every
// block the server wrote (events and `: ping` comments) in order, and waits for the next one a test asks for.
export interface EventStreamReader {
  status: number;
  headers: Headers;
  /** The body, when the answer is not a stream (401, 429). */
  text: string | undefined;
  /** Every block received so far, without its trailing blank line. */
  readonly blocks: string[];
  /** Resolves with the first block (from the start) that `match` accepts and no earlier call took. */
  next(match?: (block: string) => boolean): Promise<string>;
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  close(): void;
}

/** Opens `url` with `cookie`, as a signed-in tab's stream. */
export async function openEventStream(url: string, cookie: string): Promise<EventStreamReader> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { cookie, accept: 'text/event-stream' }, signal: abort.signal });
  const blocks: string[] = [];
  const waiters: { match: (block: string) => boolean; resolve: (block: string) => void }[] = [];
  let taken = 0;
  const isStream = (response.headers.get('content-type') ?? '').startsWith('text/event-stream');
  const text = isStream ? undefined : await response.text();
  const take = () => {
    for (let i = taken; i < blocks.length; i++) {
      const waiter = waiters[0];
      if (!waiter) return;
      if (waiter.match(blocks[i]!)) {
        taken = i + 1;
        waiters.shift();
        waiter.resolve(blocks[i]!);
      }
    }
  };
  const ended = (async () => {
    if (!isStream || !response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let at: number;
        while ((at = buffer.indexOf('\n\n')) >= 0) {
          blocks.push(buffer.slice(0, at));
          buffer = buffer.slice(at + 2);
        }
        take();
      }
    } catch {
      // aborted by close()
    }
  })();
  return {
    status: response.status,
    headers: response.headers,
    text,
    blocks,
    ended,
    next: (match = () => true) =>
      new Promise<string>((resolve) => {
        waiters.push({ match, resolve });
        take();
      }),
    close: () => abort.abort(),
  };
}

/** The `data` of an `event: session` block, parsed. */
export function sessionMessage(block: string): { type: string; reason: string } {
  const data = /^data: (.*)$/m.exec(block)?.[1];
  return JSON.parse(data ?? 'null');
}

export const isSessionEvent = (block: string) => block.startsWith('event: session\n');
export const isPing = (block: string) => block === ': ping';
