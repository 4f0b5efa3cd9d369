// The connection badge (#connection-status): connecting / connected / syncing / reconnecting /
// offline, computed from the sharedb connection and whether edits wait for the server.

const OFFLINE_AFTER_MS = 2500;

const STATUS_TEXT = {
  connecting: 'Connecting…',
  connected: 'Connected',
  syncing: 'Syncing…',
  reconnecting: 'Reconnecting…',
  offline: 'Offline · edits saved locally, will sync',
  offlineClean: 'Offline',
  error: 'Error',
};

function renderStatus(el, state, detail) {
  if (!el) return;
  el.dataset.state = state === 'offlineClean' ? 'offline' : state;
  el.classList.add('cp-connection');
  el.setAttribute('role', 'status');
  el.setAttribute('aria-live', 'polite');
  let dot = el.querySelector('.cp-connection-dot');
  let label = el.querySelector('.cp-connection-label');
  if (!dot || !label) {
    el.textContent = '';
    dot = document.createElement('span');
    dot.className = 'cp-connection-dot';
    label = document.createElement('span');
    label.className = 'cp-connection-label';
    el.append(dot, label);
  }
  label.textContent = STATUS_TEXT[state] || state;
  el.title = detail || '';
}

/**
 * Keeps the badge in step with the connection. update(detail?) recomputes it; onChange(state)
 * hears every change of state.
 */
export function createStatusBadge({ el, connection, doc, onChange }) {
  let everConnected = false;
  let disconnectedAt = null;
  let offlineTimer = null;
  let current = null;

  function compute() {
    const st = connection.state;
    if (st === 'connected') return doc.hasWritePending() ? 'syncing' : 'connected';
    if (!everConnected && st === 'connecting' && navigator.onLine !== false) return 'connecting';
    const pending = doc.hasWritePending();
    const long = disconnectedAt !== null && Date.now() - disconnectedAt >= OFFLINE_AFTER_MS;
    if (navigator.onLine === false || long || !everConnected) return pending ? 'offline' : 'offlineClean';
    return 'reconnecting';
  }

  function update(detail) {
    const s = compute();
    const pendingOps = (doc.inflightOp ? 1 : 0) + (doc.pendingOps ? doc.pendingOps.length : 0);
    const d =
      detail || (pendingOps ? `${pendingOps} change${pendingOps > 1 ? 's' : ''} waiting for the server` : '');
    if (s !== current || detail) {
      current = s;
      renderStatus(el, s, d);
      onChange(s);
    } else if (el) {
      el.title = d;
    }
  }

  connection.on('state', (st) => {
    if (st === 'connected') {
      everConnected = true;
      disconnectedAt = null;
      clearTimeout(offlineTimer);
    } else {
      if (disconnectedAt === null) disconnectedAt = Date.now();
      clearTimeout(offlineTimer);
      offlineTimer = setTimeout(() => update(), OFFLINE_AFTER_MS + 50);
    }
    update();
  });
  window.addEventListener('offline', () => update());
  update();
  return { update, current: () => current };
}
