// The call of a session room: audio/video between members, browser to browser (a mesh), with the
// server's call WebSocket (calls/consumers.py) carrying only signaling. Mounted on #call by room.js.
//
// - one RTCPeerConnection per peer, bundlePolicy "max-bundle", ICE servers from the server
//   (fresh TURN credentials per join); perfect negotiation (negotiation.js);
// - our microphone, camera and screen (media.js), tiles and the video stage (tiles.js);
// - ICE restart when a connection fails and after the signaling socket comes back; a reconnect
//   within the server's grace keeps the participant id (sessionStorage), so peers keep their
//   connections instead of starting over.
import { el } from '../lib/dom.js';
import { CLOSE, jsonSocket } from '../lib/socket.js';
import { buildControls, renderControls } from './controls.js';
import { createLocalMedia } from './media.js';
import { acceptCandidate, acceptDescription, createPeer, resyncPeer } from './negotiation.js';
import { createSpeakingMeters } from './speaking.js';
import { watchFirstFrames } from './stats.js';
import { createTileBoard, tileKey } from './tiles.js';

const PING_MS = 20000;
const PONG_WAIT_MS = 10000; // no pong by then: the socket is stalled, reconnect
const FIRST_IN_CALL = 'You are the first one in the call.';

/**
 * @param {HTMLElement} root   #room
 * @param {HTMLElement} panel  #call
 * @param {object} o           {url, sessionId, username, color, onChange(state)}
 */
export function mountCall(root, panel, { url, sessionId, username, color, onChange }) {
  const self = { username: username || 'me', color: color || '#7c9cff' };
  const storageKey = `codepusher:call:${sessionId || url}`;
  const c = buildControls();
  const meters = createSpeakingMeters();
  const board = createTileBoard({ root, onRemove: (key) => meters.forget(key) });
  panel.textContent = '';
  panel.append(el('div', { class: 'panel-head' }, el('h2', { text: 'Call' }), c.roster), c.idle, c.live, c.status, board.stage);

  // ---- state ---------------------------------------------------------------------------------
  let joined = false;
  let joining = false;
  let me = null;
  let iceServers = [];
  let videoAllowed = true;
  const peers = new Map(); // id -> peer
  const others = new Map(); // id -> public participant (what the roster shows before joining)
  let pendingMedia = null; // {resolve, reject} of a media change waiting for the server
  const metrics = { joinStartedAt: null, joinedAt: null, firstFrame: {}, resumes: 0 };
  const arrivals = new Map(); // peer id -> when peer-joined arrived (after our join)

  // ---- signaling socket ----------------------------------------------------------------------
  const socket = jsonSocket(url, {
    minReconnectionDelay: 500,
    maxReconnectionDelay: 5000,
    reconnectionDelayGrowFactor: 2,
    onOpen() {
      if (joined) {
        setStatus('Reconnected; resuming the call…');
        send({ type: 'join', media: { ...local.media }, participant: me });
      }
    },
    onMessage: (message) => handle(message).catch((error) => console.warn('call:', message.type, error)),
    onClose(_code, { refused }) {
      if (refused) setStatus('You are not a member of this session.', 'error');
      else if (joined) setStatus('Connection lost; reconnecting…', 'warn');
    },
  });
  const send = (message) => socket.send(message);

  const local = createLocalMedia({
    peers,
    send,
    requestMedia: (patch) =>
      new Promise((resolve, reject) => {
        pendingMedia = { resolve, reject };
        send({ type: 'media', media: patch });
      }),
    setStatus,
    onChange: () => {
      renderSelf();
      updateControls();
    },
  });

  async function handle(message) {
    switch (message.type) {
      case 'call-state':
        others.clear();
        for (const p of message.participants) others.set(p.id, p);
        renderRoster();
        break;
      case 'joined': await onJoined(message); break;
      case 'peer-joined': onPeerJoined(message.peer, message.resumed); break;
      case 'peer-left': onPeerLeft(message.id); break;
      case 'peer-media': onPeerMedia(message.id, message.media); break;
      case 'pong': clearTimeout(pongTimer); break;
      case 'media-state':
        videoAllowed = message.videoAllowed;
        if (pendingMedia) { pendingMedia.resolve(message.media); pendingMedia = null; }
        break;
      case 'offer': case 'answer': await onDescription(message); break;
      case 'candidate': {
        const peer = peers.get(message.from);
        if (peer) await acceptCandidate(peer, message.candidate);
        break;
      }
      case 'error':
        if (pendingMedia) { pendingMedia.reject(new Error(message.message)); pendingMedia = null; }
        else setStatus(message.message, 'error');
        break;
      default: break;
    }
  }

  // ---- joining and leaving -------------------------------------------------------------------
  async function join() {
    if (joined || joining) return;
    joining = true;
    c.join.disabled = true;
    metrics.joinStartedAt = performance.now();
    metrics.firstFrame = {};
    setStatus('Starting your microphone…');
    let notes;
    try {
      notes = await local.start(c.withCamera.checked);
    } catch (error) {
      setStatus(error.message, 'error');
      joining = false;
      c.join.disabled = false;
      return;
    }
    meters.ensure();
    const stored = sessionStorage.getItem(storageKey);
    send({ type: 'join', media: { ...local.media }, participant: stored || undefined });
    setStatus(notes.join(' '), notes.length ? 'warn' : '');
    changed();
  }

  async function onJoined(message) {
    const resumed = message.resumed && joined;
    me = message.you;
    sessionStorage.setItem(storageKey, me);
    iceServers = message.iceServers || [];
    videoAllowed = message.videoAllowed;
    if (message.notice) setStatus(message.notice, 'warn');
    else if (resumed) setStatus('');
    if (resumed) {
      metrics.resumes += 1;
      send({ type: 'media', media: { ...local.media } }); // what changed while the socket was down
    } else {
      if (!message.media.video && local.hasCamera()) local.stopCamera(false);
      local.media.audio = message.media.audio;
      local.media.video = message.media.video;
    }
    joined = true;
    joining = false;
    metrics.joinedAt = performance.now();
    startPing();
    const listed = new Set(message.peers.map((p) => p.id));
    if (!resumed) {
      for (const id of [...peers.keys()]) dropPeer(id);
      board.removeOthers();
    }
    for (const id of [...peers.keys()]) if (!listed.has(id)) dropPeer(id);
    renderSelf();
    for (const info of message.peers) {
      const peer = peers.get(info.id);
      if (peer) {
        Object.assign(peer, { media: info.media, polite: info.role === 'polite' });
        renderPeer(peer);
        resyncPeer(peer, send);
      } else {
        startPeer(info, true);
      }
    }
    if (!message.notice && !c.status.dataset.kind) setStatus(message.peers.length ? '' : FIRST_IN_CALL);
    updateControls();
    watchFirstFrames(metrics, peers, () => joined);
    changed();
  }

  function leave({ quiet = false } = {}) {
    if (!joined && !joining) return;
    send({ type: 'leave' });
    joined = false;
    joining = false;
    stopPing();
    for (const id of [...peers.keys()]) dropPeer(id);
    local.stopAll();
    board.remove(tileKey('self'));
    sessionStorage.removeItem(storageKey);
    me = null;
    updateControls();
    if (!quiet) setStatus('You left the call.');
    changed();
  }

  let pingTimer = null;
  let pongTimer = null;
  function startPing() {
    stopPing();
    pingTimer = setInterval(() => {
      send({ type: 'ping' });
      clearTimeout(pongTimer);
      pongTimer = setTimeout(reconnect, PONG_WAIT_MS);
    }, PING_MS);
  }
  function stopPing() {
    if (pingTimer) clearInterval(pingTimer);
    clearTimeout(pongTimer);
    pingTimer = null;
  }

  /** Drop the signaling socket but keep the call: the server holds our place, we resume. */
  function reconnect() {
    if (socket.isOpen()) socket.reconnect(CLOSE.RECONNECTING);
  }

  // ---- peers ---------------------------------------------------------------------------------
  function startPeer(info, initiator) {
    const peer = createPeer(info, initiator, {
      iceServers,
      send,
      since: arrivals.get(info.id),
      onTrack: onRemoteTrack,
      onState(p) {
        const tile = board.find(tileKey(p.id));
        if (tile) tile.dataset.connection = p.pc.connectionState;
      },
    });
    peers.set(peer.id, peer);
    if (initiator) local.attachTo(peer, false);
    renderPeer(peer);
    return peer;
  }

  async function onDescription(message) {
    let peer = peers.get(message.from);
    if (!peer) {
      if (!joined || message.type !== 'offer') return;
      // Normally peer-joined came first; if not, the offer alone is enough to start.
      const info = others.get(message.from) ||
        { id: message.from, username: '…', color: '#7c9cff', media: { audio: true, video: false, screen: false } };
      peer = startPeer({ ...info, role: me < info.id ? 'polite' : 'impolite' }, false);
    }
    await acceptDescription(peer, message, send, (p) => local.attachTo(p, true));
  }

  function onPeerJoined(info, resumed) {
    others.set(info.id, info);
    renderRoster();
    if (!joined || info.id === me) return;
    if (c.status.textContent === FIRST_IN_CALL) setStatus('');
    const peer = peers.get(info.id);
    if (peer) {
      Object.assign(peer, { media: info.media, polite: info.role === 'polite' });
      renderPeer(peer);
      if (resumed) resyncPeer(peer, send);
      return;
    }
    // Someone new: they make the first offer; show their tile straight away.
    arrivals.set(info.id, performance.now());
    renderPeer({ ...info, pending: true });
  }

  function onPeerLeft(id) {
    others.delete(id);
    renderRoster();
    dropPeer(id);
    board.remove(tileKey(id));
  }

  function onPeerMedia(id, peerMedia) {
    const info = others.get(id);
    if (info) info.media = peerMedia;
    const peer = peers.get(id);
    if (peer) {
      peer.media = peerMedia;
      renderPeer(peer);
    } else if (info && joined) {
      renderPeer({ ...info, pending: true });
    }
    changed();
  }

  function dropPeer(id) {
    const peer = peers.get(id);
    if (!peer) return;
    peers.delete(id);
    peer.pc.close();
    board.remove(tileKey(id));
    board.remove(tileKey(id, 'screen'));
  }

  function onRemoteTrack(peer, track, transceiver) {
    if (track.kind === 'audio') {
      peer.audioStream = new MediaStream([track]);
    } else {
      const firstVideo = peer.pc.getTransceivers().find((t) => t.receiver.track.kind === 'video');
      const stream = new MediaStream([track]);
      if (transceiver === firstVideo) peer.cameraStream = stream;
      else peer.screenStream = stream;
    }
    renderPeer(peer);
  }

  // ---- rendering -----------------------------------------------------------------------------
  function renderSelf() {
    if (!joined && !joining) return;
    const person = { id: me || 'self', username: self.username, color: self.color, self: true };
    const tile = board.ensure(tileKey('self'), person, 'camera');
    const streams = local.streams();
    tile.dataset.self = 'true';
    board.setVideo(tile, streams.camera, local.media.video);
    board.setFlags(tile, local.media);
    if (streams.mic) meters.watch(tileKey('self'), streams.mic, tile);
    if (streams.screenOn) board.setVideo(board.ensure(tileKey('self', 'screen'), person, 'screen'), streams.screen, true);
    else board.remove(tileKey('self', 'screen'));
    board.update();
  }

  function renderPeer(peer) {
    const tile = board.ensure(tileKey(peer.id), peer, 'camera');
    tile.dataset.connection = peer.pc ? peer.pc.connectionState : 'new';
    board.setVideo(tile, peer.cameraStream, peer.media.video);
    board.setFlags(tile, peer.media);
    const audio = tile.querySelector('audio');
    if (audio && peer.audioStream && audio.srcObject !== peer.audioStream) {
      audio.srcObject = peer.audioStream;
      audio.play().catch(() => {});
      meters.watch(tileKey(peer.id), peer.audioStream, tile);
    }
    if (peer.media.screen && peer.screenStream) {
      board.setVideo(board.ensure(tileKey(peer.id, 'screen'), peer, 'screen'), peer.screenStream, true);
    } else {
      board.remove(tileKey(peer.id, 'screen'));
    }
    board.update();
  }

  function renderRoster() {
    const names = [...others.values()].filter((p) => p.id !== me).map((p) => p.username);
    const count = names.length + (joined ? 1 : 0);
    c.roster.textContent = count ? `${count} in the call` : 'Nobody in the call';
    c.roster.title = names.join(', ');
    changed();
  }

  function updateControls() {
    renderControls(c, { joined, joining, videoAllowed, media: local.media, hasMic: local.hasMic() });
    panel.dataset.state = joined ? 'joined' : joining ? 'joining' : 'idle';
    renderRoster();
  }

  function setStatus(text, kind = '') {
    c.status.textContent = text || '';
    if (kind) c.status.dataset.kind = kind;
    else delete c.status.dataset.kind;
  }

  /** Who is in the call (usernames), for the members panel. */
  function participants() {
    const names = new Set([...others.values()].filter((p) => p.id !== me).map((p) => p.username));
    if (joined) names.add(self.username);
    return [...names];
  }
  function changed() {
    if (onChange) onChange({ joined, participants: participants() });
  }

  // ---- wiring --------------------------------------------------------------------------------
  c.join.addEventListener('click', () => join());
  c.leave.addEventListener('click', () => leave());
  c.mic.addEventListener('click', () => local.setMic(!local.media.audio));
  c.camera.addEventListener('click', () => (local.media.video ? local.stopCamera() : local.startCamera()));
  c.screen.addEventListener('click', () => (local.media.screen ? local.stopScreen() : local.startScreen()));
  // Leaving the page leaves the call for everyone at once (the close alone would too, 1001).
  window.addEventListener('pagehide', () => {
    if (joined) send({ type: 'leave' });
  });
  updateControls();

  return {
    join,
    leave,
    reconnect,
    participants,
    state: () => ({
      joined, me, media: { ...local.media }, videoAllowed,
      peers: [...peers.values()].map((p) => ({
        id: p.id, username: p.username, polite: p.polite, media: p.media,
        connection: p.pc.connectionState, ice: p.pc.iceConnectionState, signaling: p.pc.signalingState,
      })),
    }),
    metrics: () => JSON.parse(JSON.stringify(metrics)),
  };
}
