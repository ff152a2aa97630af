// The published 0.0.x releases threw plain Errors whose messages callers match on (`toThrow(...)` checks,
// log filters). Ours keep their own codes and wording and carry the old phrase as well.

const PHRASES: Record<string, string> = {
  'updateSession()': 'No active session found',
  'regenerateSession()': 'No active session to regenerate',
};

/** `message`, followed by the phrase the published release threw for `caller` in the same situation, if any. */
export function withUpstreamPhrase(caller: string, message: string): string {
  const phrase = PHRASES[caller];
  return phrase ? `${message} (${phrase}.)` : message;
}
