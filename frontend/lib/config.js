// The room's configuration, read once: data-* attributes on #room and the JSON of
// {{ room_config|json_script:"room-config" }} (templates/sessions_app/room.html).

/** The JSON config script's object, or {} when it is missing or broken. */
export function readJsonConfig(doc = document) {
  const node = doc.getElementById('room-config');
  if (!node) return {};
  try {
    const value = JSON.parse(node.textContent);
    return value && typeof value === 'object' ? value : {};
  } catch {
    return {};
  }
}

/**
 * Everything the room's modules need, with defaults:
 * {sessionId, language, username, color, members: [{username, color}], urls: {ot, terminal, chat, call, presence}}
 */
export function readRoomConfig(root, doc = document) {
  const d = root ? root.dataset : {};
  const extra = readJsonConfig(doc);
  const sessionId = d.sessionId || extra.sessionId || '';
  const base = `/ws/sessions/${encodeURIComponent(sessionId)}`;
  return {
    ...extra,
    sessionId,
    language: d.language || extra.language || 'python',
    username: d.username || extra.username || 'anonymous',
    color: d.userColor || extra.color || '',
    members: Array.isArray(extra.members) ? extra.members.filter((m) => m && m.username) : [],
    urls: {
      ot: d.otUrl || '/ws/ot/',
      terminal: d.terminalUrl || `${base}/terminal/`,
      chat: d.chatUrl || `${base}/chat/`,
      call: d.callUrl || `${base}/call/`,
      presence: d.presenceUrl || `${base}/presence/`,
    },
  };
}
