// The room's WebSockets: one URL rule, one set of close codes, one reconnecting socket.
import ReconnectingWebSocket from 'reconnecting-websocket';

/** Close codes shared with the server (defined once there in sessions_app/close_codes.py). */
export const CLOSE = {
  NOT_ALLOWED: 4403, // not a member of the session: do not retry
  RECONNECTING: 4001, // we drop the socket on purpose and come straight back (keep our place)
  DROPPED: 4000, // a simulated network failure (tests)
};

/** '/ws/ot/' → 'wss://host/ws/ot/' (same origin); absolute ws(s):// URLs pass through. */
export function wsUrl(pathOrUrl) {
  const s = String(pathOrUrl);
  if (/^wss?:\/\//i.test(s)) return s;
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}${s.startsWith('/') ? s : '/' + s}`;
}

/**
 * A WebSocket that reconnects with jittered exponential backoff and never replays frames queued
 * while offline (sharedb resends its own pending ops; a run or a chat line must not repeat).
 * It gives up for good on CLOSE.NOT_ALLOWED. The object is WebSocket-like (sharedb binds to it).
 */
export function reconnectingSocket(path, options = {}) {
  const socket = new ReconnectingWebSocket(wsUrl(path), [], {
    maxEnqueuedMessages: 0,
    minReconnectionDelay: 500 + Math.random() * 500,
    maxReconnectionDelay: 8000,
    reconnectionDelayGrowFactor: 1.5,
    connectionTimeout: 6000,
    ...options,
  });
  socket.addEventListener('close', (event) => {
    if (event.code === CLOSE.NOT_ALLOWED) socket.close();
  });
  return socket;
}

/**
 * A reconnecting JSON socket with explicit callbacks:
 * onOpen(), onMessage(frame), onClose(code, {refused}) — `refused` when the server said we are not
 * a member (no more retries). send(frame) returns false when the socket is not open.
 */
export function jsonSocket(path, { onOpen, onMessage, onClose, ...options } = {}) {
  const socket = reconnectingSocket(path, options);
  let opened = 0;
  socket.addEventListener('open', () => {
    opened += 1;
    if (onOpen) onOpen(opened);
  });
  socket.addEventListener('close', (event) => {
    if (onClose) onClose(event.code, { refused: event.code === CLOSE.NOT_ALLOWED });
  });
  socket.addEventListener('message', (event) => {
    if (typeof event.data !== 'string') return;
    let frame;
    try {
      frame = JSON.parse(event.data);
    } catch {
      return;
    }
    if (frame && typeof frame === 'object' && onMessage) onMessage(frame);
  });
  return {
    raw: socket,
    isOpen: () => socket.readyState === 1,
    /** Successful connections so far (reconnects included). */
    get connections() {
      return opened;
    },
    send(frame) {
      if (socket.readyState !== 1) return false;
      socket.send(JSON.stringify(frame));
      return true;
    },
    /** Drop the connection with `code` and connect again at once. */
    reconnect: (code = CLOSE.RECONNECTING, reason = 'reconnecting') => socket.reconnect(code, reason),
    close: () => socket.close(),
  };
}
