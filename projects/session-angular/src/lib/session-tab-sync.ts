/** The only message ever posted: other tabs re-read the summary themselves, no session data travels. */
export const SESSION_CHANGED_MESSAGE = 'changed';

export interface SessionTabSyncOptions {
  /** The browser window, or null where there is none. */
  window: Window | null;
  /** BroadcastChannel name, or false for no cross-tab sync. */
  channelName: string | false;
  /** Called when another tab announces a change. */
  onOtherTabChange: () => void;
  /** Called when this tab regains focus or becomes visible again. */
  onFocus: () => void;
  /** False when focus should be ignored. */
  listenForFocus: boolean;
}

/** Handle on the listeners `connectSessionTabs()` set up. */
export interface SessionTabSync {
  /** Tells every other tab of this origin that the session changed. */
  announce(): void;
  /** Removes every listener and closes the channel. */
  close(): void;
}

/**
 * Connects this tab to the others (BroadcastChannel, where the runtime has one) and to focus and
 * visibility events. Call it in the browser only: it adds listeners.
 */
export function connectSessionTabs(options: SessionTabSyncOptions): SessionTabSync {
  const cleanups: Array<() => void> = [];
  let channel: BroadcastChannel | null = null;

  if (options.channelName !== false && typeof BroadcastChannel === 'function') {
    const opened = new BroadcastChannel(options.channelName);
    const onMessage = (event: MessageEvent) => {
      if (event.data === SESSION_CHANGED_MESSAGE) options.onOtherTabChange();
    };
    opened.addEventListener('message', onMessage);
    cleanups.push(() => {
      opened.removeEventListener('message', onMessage);
      opened.close();
    });
    channel = opened;
  }

  const win = options.window;
  if (options.listenForFocus && win) {
    const doc = win.document;
    const onVisibility = () => {
      if (doc.visibilityState === 'visible') options.onFocus();
    };
    const onFocus = () => options.onFocus();
    win.addEventListener('focus', onFocus);
    doc.addEventListener('visibilitychange', onVisibility);
    cleanups.push(() => {
      win.removeEventListener('focus', onFocus);
      doc.removeEventListener('visibilitychange', onVisibility);
    });
  }

  return {
    announce: () => channel?.postMessage(SESSION_CHANGED_MESSAGE),
    close: () => {
      channel = null;
      cleanups.splice(0).forEach((cleanup) => cleanup());
    },
  };
}
