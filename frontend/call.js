// The call of a session room: audio/video between members, browser to browser (a mesh), with the
// server's call WebSocket (calls/consumers.py) carrying only signaling. Mounts itself on #call
// (templates/sessions_app/room.html) and reads data-call-url, data-username, data-user-color.
//
// WebRTC design (see research/calls.md):
// - one RTCPeerConnection per peer, bundlePolicy "max-bundle", ICE servers from the server
//   (fresh TURN credentials per join);
// - perfect negotiation (MDN) with the fixed roles the server hands out per pair; the newcomer
//   makes the first offer to everyone already in the call, the others answer;
// - m-lines: audio (microphone), video (camera; present even with the camera off so turning it on
//   is a replaceTrack, not a renegotiation), then one more video per screen share;
// - ICE restart when a connection fails and after the signaling socket comes back; a reconnect
//   within the server's grace keeps the participant id (sessionStorage), so peers keep their
//   connections instead of starting over.
//
// Exposes window.codepusher.call = {state(), metrics(), join(), leave()} for tests and other modules.

const CAMERA = { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 15, max: 24 } };
const SPEAKING_LEVEL = 0.02; // RMS of the analyser's time-domain samples
const PING_MS = 20000;
const PONG_WAIT_MS = 10000; // no pong by then: the socket is stalled, reconnect
const CLOSE_RECONNECTING = 4001; // tells the server to keep our place (calls/consumers.py)
const FIRST_IN_CALL = 'You are the first one in the call.';

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (value === true) node.setAttribute(key, '');
    else if (value !== false && value != null) node.setAttribute(key, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function deviceMessage(error, what) {
  const name = error && error.name;
  if (name === 'NotAllowedError' || name === 'SecurityError')
    return `Permission to use your ${what} was refused. Allow it in the browser's site settings, then try again.`;
  if (name === 'NotFoundError' || name === 'OverconstrainedError')
    return `No ${what} was found. Plug one in, or check that it is enabled.`;
  if (name === 'NotReadableError' || name === 'AbortError')
    return `Your ${what} is in use by another application or could not be started.`;
  return `Could not use your ${what}: ${(error && error.message) || error}.`;
}

function wsUrl(path) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return path.startsWith('ws') ? path : `${scheme}//${location.host}${path}`;
}

function mountCall(root, panel) {
  const url = wsUrl(root.dataset.callUrl || `/ws/sessions/${root.dataset.sessionId}/call/`);
  const self = { username: root.dataset.username || 'me', color: root.dataset.userColor || '#7c9cff' };
  const storageKey = `codepusher:call:${root.dataset.sessionId || url}`;

  // ---- DOM -----------------------------------------------------------------------------------
  const status = el('div', { class: 'call-status', role: 'status', 'aria-live': 'polite' });
  const roster = el('div', { class: 'call-roster muted' });
  const withCamera = el('input', { type: 'checkbox', id: 'call-with-camera' });
  const joinButton = el('button', { class: 'button small', type: 'button', 'data-call': 'join', text: 'Join call' });
  const micButton = el('button', { class: 'button small ghost', type: 'button', 'data-call': 'mic', 'aria-pressed': 'false', text: 'Mute' });
  const camButton = el('button', { class: 'button small ghost', type: 'button', 'data-call': 'camera', 'aria-pressed': 'false', text: 'Camera on' });
  const screenButton = el('button', { class: 'button small ghost', type: 'button', 'data-call': 'screen', 'aria-pressed': 'false', text: 'Share screen' });
  const leaveButton = el('button', { class: 'button small call-leave', type: 'button', 'data-call': 'leave', text: 'Leave' });
  const stageButton = el('button', { class: 'button small ghost call-stage-toggle', type: 'button', title: 'Show the statement / the video stage', text: 'Statement' });
  const idleControls = el('div', { class: 'call-controls call-idle' }, joinButton,
    el('label', { class: 'call-camera-choice', for: 'call-with-camera' }, withCamera, ' with camera'));
  const liveControls = el('div', { class: 'call-controls call-live', hidden: true }, micButton, camButton, screenButton, leaveButton);
  const tiles = el('div', { class: 'call-tiles' });
  const stage = el('div', { class: 'call-stage' }, el('div', { class: 'call-stage-head' }, stageButton), tiles);
  panel.textContent = '';
  panel.append(
    el('div', { class: 'panel-head' }, el('h2', { text: 'Call' }), roster),
    idleControls, liveControls, status, stage,
  );

  // ---- state ---------------------------------------------------------------------------------
  let ws = null;
  let wsOpen = false;
  let reconnectDelay = 500;
  let pingTimer = null;
  let joined = false;
  let joining = false;
  let me = null;
  let iceServers = [];
  let videoAllowed = true;
  const media = { audio: false, video: false, screen: false };
  let micTrack = null;
  let camTrack = null;
  let screenTrack = null;
  const localStream = new MediaStream();
  let micStream = null; // the microphone alone (the speaking meter)
  let camStream = null; // the camera alone (the self view)
  let screenStream = null;
  const peers = new Map(); // id -> peer
  const others = new Map(); // id -> public participant (what the roster shows before joining)
  let pendingMedia = null; // {resolve, reject} of a media change waiting for the server
  let audioContext = null;
  const meters = new Map(); // key -> {analyser, data, tile}
  const metrics = { joinStartedAt: null, joinedAt: null, firstFrame: {}, resumes: 0 };
  const arrivals = new Map(); // peer id -> when peer-joined arrived (after our join)

  // ---- signaling socket ----------------------------------------------------------------------
  function send(message) {
    if (ws && wsOpen) ws.send(JSON.stringify(message));
  }

  function connect() {
    ws = new WebSocket(url);
    ws.onopen = () => {
      wsOpen = true;
      reconnectDelay = 500;
      if (joined) {
        setStatus('Reconnected; resuming the call…');
        send({ type: 'join', media: { ...media }, participant: me });
      }
    };
    ws.onmessage = (event) => {
      let message;
      try { message = JSON.parse(event.data); } catch { return; }
      handle(message).catch((error) => console.warn('call:', message.type, error));
    };
    ws.onclose = (event) => {
      wsOpen = false;
      if (event.code === 4403) {
        setStatus('You are not a member of this session.', 'error');
        return;
      }
      if (joined) setStatus('Connection lost; reconnecting…', 'warn');
      setTimeout(connect, event.code === CLOSE_RECONNECTING ? 0 : reconnectDelay);
      reconnectDelay = Math.min(reconnectDelay * 2, 5000);
    };
  }

  async function handle(message) {
    switch (message.type) {
      case 'call-state':
        others.clear();
        for (const p of message.participants) others.set(p.id, p);
        renderRoster();
        break;
      case 'joined': await onJoined(message); break;
      case 'peer-joined': await onPeerJoined(message.peer, message.resumed); break;
      case 'peer-left': onPeerLeft(message.id); break;
      case 'peer-media': onPeerMedia(message.id, message.media); break;
      case 'pong': clearTimeout(pongTimer); break;
      case 'media-state':
        videoAllowed = message.videoAllowed;
        if (pendingMedia) { pendingMedia.resolve(message.media); pendingMedia = null; }
        break;
      case 'offer': case 'answer': await onDescription(message); break;
      case 'candidate': await onCandidate(message); break;
      case 'error':
        if (pendingMedia) { pendingMedia.reject(new Error(message.message)); pendingMedia = null; }
        else setStatus(message.message, 'error');
        break;
      default: break;
    }
  }

  function requestMedia(patch) {
    return new Promise((resolve, reject) => {
      pendingMedia = { resolve, reject };
      send({ type: 'media', media: patch });
    });
  }

  // ---- joining and leaving -------------------------------------------------------------------
  async function join() {
    if (joined || joining) return;
    joining = true;
    joinButton.disabled = true;
    metrics.joinStartedAt = performance.now();
    metrics.firstFrame = {};
    setStatus('Starting your microphone…');
    const notes = [];
    try {
      micTrack = await getTrack({ audio: true }, 'microphone', notes);
      if (withCamera.checked) camTrack = await getTrack({ video: CAMERA }, 'camera', notes);
    } catch (error) {
      setStatus(error.message, 'error');
      joining = false;
      joinButton.disabled = false;
      return;
    }
    for (const track of [micTrack, camTrack]) if (track) localStream.addTrack(track);
    micStream = micTrack ? new MediaStream([micTrack]) : null;
    camStream = camTrack ? new MediaStream([camTrack]) : null;
    media.audio = !!micTrack;
    media.video = !!camTrack;
    media.screen = false;
    ensureAudioContext();
    const stored = sessionStorage.getItem(storageKey);
    send({ type: 'join', media: { ...media }, participant: stored || undefined });
    setStatus(notes.join(' '), notes.length ? 'warn' : '');
  }

  async function getTrack(constraints, what, notes) {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia)
      throw new Error('This page cannot use a microphone or camera (it needs HTTPS).');
    try {
      const stream = await navigator.mediaDevices.getUserMedia(constraints);
      return stream.getTracks()[0];
    } catch (error) {
      const message = deviceMessage(error, what);
      if (what === 'microphone' && error.name === 'NotAllowedError') throw new Error(message);
      notes.push(what === 'microphone' ? `${message} You joined listening only.` : `${message} You joined with audio only.`);
      return null;
    }
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
      send({ type: 'media', media: { ...media } }); // what changed while the socket was down
    } else {
      if (!message.media.video && camTrack) stopCamera(false);
      media.audio = message.media.audio;
      media.video = message.media.video;
    }
    joined = true;
    joining = false;
    metrics.joinedAt = performance.now();
    startPing();
    const listed = new Set(message.peers.map((p) => p.id));
    if (!resumed) {
      for (const id of [...peers.keys()]) dropPeer(id);
      for (const tile of [...tiles.children]) if (tile.dataset.self !== 'true') tile.remove();
    }
    for (const id of [...peers.keys()]) if (!listed.has(id)) dropPeer(id);
    renderSelf();
    for (const info of message.peers) {
      const peer = peers.get(info.id);
      if (peer) {
        Object.assign(peer, { media: info.media, polite: info.role === 'polite' });
        renderPeer(peer);
        resyncPeer(peer);
      } else {
        startPeer(info, true);
      }
    }
    if (!message.notice && !status.dataset.kind) setStatus(message.peers.length ? '' : FIRST_IN_CALL);
    updateControls();
    watchFirstFrames();
  }

  function leave({ quiet = false } = {}) {
    if (!joined && !joining) return;
    send({ type: 'leave' });
    joined = false;
    joining = false;
    stopPing();
    for (const id of [...peers.keys()]) dropPeer(id);
    stopScreen(false);
    stopCamera(false);
    if (micTrack) { micTrack.stop(); localStream.removeTrack(micTrack); micTrack = null; micStream = null; }
    media.audio = media.video = media.screen = false;
    removeTile(tileKey('self'));
    sessionStorage.removeItem(storageKey);
    me = null;
    updateControls();
    if (!quiet) setStatus('You left the call.');
  }

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
    if (ws && wsOpen) ws.close(CLOSE_RECONNECTING, 'reconnecting');
  }

  // ---- peers and perfect negotiation ---------------------------------------------------------
  function startPeer(info, initiator) {
    const pc = new RTCPeerConnection({ iceServers, bundlePolicy: 'max-bundle' });
    const peer = {
      id: info.id, username: info.username, color: info.color, media: info.media,
      polite: info.role === 'polite', pc, makingOffer: false, ignoreOffer: false,
      answerPending: false, attached: false, audioTx: null, videoTx: null, screenTx: null,
      since: initiator ? null : arrivals.get(info.id) || null,
      audioStream: null, cameraStream: null, screenStream: null,
    };
    peers.set(peer.id, peer);
    pc.onicecandidate = ({ candidate }) => send({ type: 'candidate', to: peer.id, candidate: candidate ? candidate.toJSON() : null });
    pc.onnegotiationneeded = async () => {
      try {
        peer.makingOffer = true;
        await pc.setLocalDescription();
        send({ type: pc.localDescription.type, to: peer.id, sdp: pc.localDescription.sdp });
      } catch (error) {
        console.warn('call: negotiation with', peer.username, error);
      } finally {
        peer.makingOffer = false;
      }
    };
    pc.ontrack = ({ track, transceiver }) => onRemoteTrack(peer, track, transceiver);
    pc.oniceconnectionstatechange = () => {
      if (pc.iceConnectionState === 'failed') pc.restartIce();
    };
    pc.onconnectionstatechange = () => {
      const tile = tiles.querySelector(`[data-key="${tileKey(peer.id)}"]`);
      if (tile) tile.dataset.connection = pc.connectionState;
    };
    if (initiator) attachLocal(peer, null);
    renderPeer(peer);
    return peer;
  }

  /** Put our tracks on the peer's connection: new transceivers (offerer) or the offered ones. */
  function attachLocal(peer, offered) {
    const { pc } = peer;
    if (offered) {
      const txs = pc.getTransceivers();
      peer.audioTx = txs.find((t) => t.receiver.track.kind === 'audio') || pc.addTransceiver('audio');
      peer.videoTx = txs.find((t) => t.receiver.track.kind === 'video') || pc.addTransceiver('video');
      for (const tx of [peer.audioTx, peer.videoTx]) {
        tx.direction = 'sendrecv';
        if (tx.sender.setStreams) tx.sender.setStreams(localStream);
      }
      peer.audioTx.sender.replaceTrack(micTrack);
      peer.videoTx.sender.replaceTrack(camTrack);
    } else {
      peer.audioTx = pc.addTransceiver(micTrack || 'audio', { direction: 'sendrecv', streams: [localStream] });
      peer.videoTx = pc.addTransceiver(camTrack || 'video', { direction: 'sendrecv', streams: [localStream] });
    }
    peer.attached = true;
    if (screenTrack) addScreenTo(peer);
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
    const { pc } = peer;
    const description = { type: message.type, sdp: message.sdp };
    const readyForOffer = !peer.makingOffer && (pc.signalingState === 'stable' || peer.answerPending);
    const offerCollision = description.type === 'offer' && !readyForOffer;
    peer.ignoreOffer = !peer.polite && offerCollision;
    if (peer.ignoreOffer) return;
    peer.answerPending = description.type === 'answer';
    await pc.setRemoteDescription(description);
    peer.answerPending = false;
    if (description.type === 'offer') {
      if (!peer.attached) attachLocal(peer, true);
      await pc.setLocalDescription();
      send({ type: pc.localDescription.type, to: peer.id, sdp: pc.localDescription.sdp });
    }
  }

  async function onCandidate(message) {
    const peer = peers.get(message.from);
    if (!peer) return;
    try {
      await peer.pc.addIceCandidate(message.candidate || null);
    } catch (error) {
      if (!peer.ignoreOffer) console.warn('call: candidate from', peer.username, error);
    }
  }

  /** After either side's signaling socket came back: finish a lost offer, or restart ICE. */
  function resyncPeer(peer) {
    const { pc } = peer;
    if (pc.signalingState === 'have-local-offer' && pc.localDescription) {
      send({ type: 'offer', to: peer.id, sdp: pc.localDescription.sdp });
    } else if (!['connected', 'completed'].includes(pc.iceConnectionState)) {
      pc.restartIce();
    }
  }

  async function onPeerJoined(info, resumed) {
    others.set(info.id, info);
    renderRoster();
    if (!joined || info.id === me) return;
    if (status.textContent === FIRST_IN_CALL) setStatus('');
    const peer = peers.get(info.id);
    if (peer) {
      Object.assign(peer, { media: info.media, polite: info.role === 'polite' });
      renderPeer(peer);
      if (resumed) resyncPeer(peer);
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
    removeTile(tileKey(id));
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
  }

  function dropPeer(id) {
    const peer = peers.get(id);
    if (!peer) return;
    peers.delete(id);
    peer.pc.close();
    meters.delete(tileKey(id));
    removeTile(tileKey(id));
    removeTile(tileKey(id, 'screen'));
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

  // ---- local media controls ------------------------------------------------------------------
  function setMic(on) {
    if (!micTrack) {
      setStatus('You have no microphone in this call.', 'warn');
      return;
    }
    micTrack.enabled = on;
    media.audio = on;
    send({ type: 'media', media: { audio: on } });
    renderSelf();
    updateControls();
  }

  async function startCamera() {
    try {
      await requestMedia({ video: true });
    } catch (error) {
      setStatus(error.message, 'warn');
      return;
    }
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: CAMERA });
      camTrack = stream.getVideoTracks()[0];
    } catch (error) {
      send({ type: 'media', media: { video: false } });
      setStatus(deviceMessage(error, 'camera'), 'error');
      return;
    }
    localStream.addTrack(camTrack);
    camStream = new MediaStream([camTrack]);
    for (const peer of peers.values()) if (peer.videoTx) peer.videoTx.sender.replaceTrack(camTrack);
    media.video = true;
    renderSelf();
    updateControls();
  }

  function stopCamera(announce = true) {
    if (camTrack) {
      camTrack.stop();
      localStream.removeTrack(camTrack);
      camTrack = null;
      camStream = null;
    }
    for (const peer of peers.values()) if (peer.videoTx) peer.videoTx.sender.replaceTrack(null);
    media.video = false;
    if (announce) send({ type: 'media', media: { video: false } });
    renderSelf();
    updateControls();
  }

  async function startScreen() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getDisplayMedia) {
      setStatus('This browser cannot share a screen.', 'error');
      return;
    }
    // Ask for the screen first: getDisplayMedia needs the click's (short-lived) user activation.
    let stream;
    try {
      stream = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 10, max: 15 } }, audio: false });
    } catch (error) {
      setStatus(error.name === 'NotAllowedError' ? 'Screen sharing was cancelled or refused.' : deviceMessage(error, 'screen'), 'warn');
      return;
    }
    try {
      await requestMedia({ screen: true });
    } catch (error) {
      for (const track of stream.getTracks()) track.stop();
      setStatus(error.message, 'warn');
      return;
    }
    screenStream = stream;
    screenTrack = screenStream.getVideoTracks()[0];
    if ('contentHint' in screenTrack) screenTrack.contentHint = 'detail'; // keep code readable
    screenTrack.addEventListener('ended', () => stopScreen()); // the browser's "Stop sharing"
    for (const peer of peers.values()) if (peer.attached) addScreenTo(peer);
    media.screen = true;
    renderSelf();
    updateControls();
  }

  function addScreenTo(peer) {
    if (peer.screenTx && peer.screenTx.currentDirection !== 'stopped') {
      peer.screenTx.direction = 'sendonly';
      peer.screenTx.sender.replaceTrack(screenTrack);
    } else {
      peer.screenTx = peer.pc.addTransceiver(screenTrack, { direction: 'sendonly', streams: [screenStream] });
    }
  }

  function stopScreen(announce = true) {
    if (screenTrack) screenTrack.stop();
    screenTrack = null;
    screenStream = null;
    for (const peer of peers.values()) {
      if (peer.screenTx) {
        peer.screenTx.sender.replaceTrack(null);
        peer.screenTx.direction = 'inactive';
      }
    }
    const wasOn = media.screen;
    media.screen = false;
    if (announce && wasOn) send({ type: 'media', media: { screen: false } });
    removeTile(tileKey('self', 'screen'));
    renderSelf();
    updateControls();
  }

  // ---- tiles ---------------------------------------------------------------------------------
  function tileKey(id, kind = 'camera') {
    return `${id}:${kind}`;
  }

  function removeTile(key) {
    const tile = tiles.querySelector(`[data-key="${key}"]`);
    if (tile) tile.remove();
    meters.delete(key);
    updateStage();
  }

  function ensureTile(key, person, kind) {
    let tile = tiles.querySelector(`[data-key="${key}"]`);
    if (!tile) {
      const initial = (person.username || '?').slice(0, 1).toUpperCase();
      tile = el('figure', { class: `call-tile call-tile-${kind}`, 'data-key': key, 'data-kind': kind },
        el('video', { class: 'call-video', autoplay: true, playsinline: true, muted: true }),
        el('div', { class: 'call-avatar', 'aria-hidden': 'true', text: initial }),
        el('figcaption', { class: 'call-name' },
          el('span', { class: 'call-speaking', title: 'Speaking' }),
          el('span', { class: 'call-username' }),
          el('span', { class: 'call-mute', title: 'Microphone muted', 'aria-label': 'muted', hidden: true, text: '🔇' })));
      tile.querySelector('video').muted = true;
      if (kind === 'camera' && key !== tileKey('self')) tile.append(el('audio', { autoplay: true }));
      if (key === tileKey('self')) tiles.prepend(tile);
      else tiles.append(tile);
    }
    tile.dataset.participant = person.id;
    tile.dataset.username = person.username;
    tile.style.setProperty('--member-color', person.color || '#7c9cff');
    tile.querySelector('.call-username').textContent =
      kind === 'screen' ? `${person.username}'s screen` : person.self ? `${person.username} (you)` : person.username;
    return tile;
  }

  function setVideo(tile, stream, visible) {
    const video = tile.querySelector('video');
    if (video.srcObject !== stream) video.srcObject = stream || null;
    const showing = !!(stream && visible);
    tile.dataset.video = showing ? 'on' : 'off';
    if (showing) video.play().catch(() => {});
  }

  function renderSelf() {
    if (!joined && !joining) return;
    const person = { id: me || 'self', username: self.username, color: self.color, self: true };
    const tile = ensureTile(tileKey('self'), person, 'camera');
    tile.dataset.self = 'true';
    setVideo(tile, camStream, media.video);
    setFlags(tile, media);
    if (micStream) meter(tileKey('self'), micStream, tile);
    if (screenTrack) {
      const screenTile = ensureTile(tileKey('self', 'screen'), person, 'screen');
      setVideo(screenTile, screenStream, true);
    }
    updateStage();
  }

  function renderPeer(peer) {
    const tile = ensureTile(tileKey(peer.id), peer, 'camera');
    tile.dataset.connection = peer.pc ? peer.pc.connectionState : 'new';
    setVideo(tile, peer.cameraStream, peer.media.video);
    setFlags(tile, peer.media);
    const audio = tile.querySelector('audio');
    if (audio && peer.audioStream && audio.srcObject !== peer.audioStream) {
      audio.srcObject = peer.audioStream;
      audio.play().catch(() => {});
      meter(tileKey(peer.id), peer.audioStream, tile);
    }
    if (peer.media.screen && peer.screenStream) {
      setVideo(ensureTile(tileKey(peer.id, 'screen'), peer, 'screen'), peer.screenStream, true);
    } else {
      removeTile(tileKey(peer.id, 'screen'));
    }
    updateStage();
  }

  function setFlags(tile, state) {
    tile.dataset.audio = state.audio ? 'on' : 'off';
    tile.querySelector('.call-mute').hidden = !!state.audio;
  }

  function renderRoster() {
    const names = [...others.values()].filter((p) => p.id !== me).map((p) => p.username);
    const count = names.length + (joined ? 1 : 0);
    roster.textContent = count ? `${count} in the call` : 'Nobody in the call';
    roster.title = names.join(', ');
  }

  function updateControls() {
    const live = joined || joining;
    idleControls.hidden = live;
    liveControls.hidden = !live;
    joinButton.disabled = live;
    micButton.textContent = media.audio ? 'Mute' : 'Unmute';
    micButton.setAttribute('aria-pressed', String(!media.audio));
    micButton.disabled = !micTrack;
    camButton.textContent = media.video ? 'Camera off' : 'Camera on';
    camButton.setAttribute('aria-pressed', String(media.video));
    screenButton.textContent = media.screen ? 'Stop sharing' : 'Share screen';
    screenButton.setAttribute('aria-pressed', String(media.screen));
    camButton.title = videoAllowed ? '' : 'Video is full in this call: audio only for now';
    panel.dataset.state = joined ? 'joined' : joining ? 'joining' : 'idle';
    renderRoster();
  }

  function setStatus(text, kind = '') {
    status.textContent = text || '';
    if (kind) status.dataset.kind = kind;
    else delete status.dataset.kind;
  }

  // ---- the video stage: over the statement column while the call has video -------------------
  let stageCollapsed = false;
  function updateStage() {
    const hasVideo = !!tiles.querySelector('.call-tile[data-video="on"]');
    root.classList.toggle('call-has-video', hasVideo);
    root.classList.toggle('call-stage-open', hasVideo && !stageCollapsed);
    stageButton.textContent = stageCollapsed ? 'Video stage' : 'Statement';
    placeStage();
  }

  function placeStage() {
    const statement = root.querySelector('.room-statement');
    if (!statement || !root.classList.contains('call-stage-open')) return;
    const box = root.getBoundingClientRect();
    const area = statement.getBoundingClientRect();
    stage.style.setProperty('--stage-left', `${area.left - box.left}px`);
    stage.style.setProperty('--stage-top', `${area.top - box.top}px`);
    stage.style.setProperty('--stage-width', `${area.width}px`);
    stage.style.setProperty('--stage-height', `${area.height}px`);
  }

  stageButton.addEventListener('click', () => {
    stageCollapsed = !stageCollapsed;
    updateStage();
  });
  window.addEventListener('resize', placeStage);
  if (window.ResizeObserver) new ResizeObserver(placeStage).observe(root);

  // ---- who is speaking (WebAudio level of each audio stream) --------------------------------
  function ensureAudioContext() {
    if (!audioContext && window.AudioContext) {
      audioContext = new AudioContext();
      setInterval(updateSpeaking, 150);
    }
    if (audioContext && audioContext.state === 'suspended') audioContext.resume().catch(() => {});
  }

  function meter(key, stream, tile) {
    if (!audioContext) return;
    const existing = meters.get(key);
    if (existing && existing.stream === stream) return;
    const analyser = audioContext.createAnalyser();
    analyser.fftSize = 512;
    audioContext.createMediaStreamSource(stream).connect(analyser);
    meters.set(key, { analyser, stream, data: new Float32Array(analyser.fftSize), tile });
  }

  function updateSpeaking() {
    for (const [key, m] of meters) {
      if (!m.tile.isConnected) { meters.delete(key); continue; }
      m.analyser.getFloatTimeDomainData(m.data);
      let sum = 0;
      for (const v of m.data) sum += v * v;
      const level = Math.sqrt(sum / m.data.length);
      const speaking = m.tile.dataset.audio === 'on' && level > SPEAKING_LEVEL;
      m.tile.dataset.speaking = speaking ? 'true' : 'false';
    }
  }

  // ---- first remote frame per peer (getStats), for the connection hint and the benchmark -----
  // firstFrame[peer] = ms from our join (peers already in the call) or from the peer's arrival
  // (peers who came later) to the first decoded video frame from that peer.
  async function watchFirstFrames() {
    const started = metrics.joinStartedAt;
    while (joined && started === metrics.joinStartedAt) {
      const waiting = [...peers.values()].filter((p) => metrics.firstFrame[p.id] == null);
      for (const peer of waiting) {
        if (performance.now() - (peer.since || started) > 60000) continue; // no video from them
        const stats = await peer.pc.getStats();
        stats.forEach((report) => {
          if (report.type === 'inbound-rtp' && report.kind === 'video' && report.framesDecoded > 0 &&
              metrics.firstFrame[peer.id] == null) {
            const since = peer.since || started;
            metrics.firstFrame[peer.id] = { ms: performance.now() - since, since: peer.since ? 'peer-joined' : 'join' };
          }
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  // ---- wiring --------------------------------------------------------------------------------
  joinButton.addEventListener('click', () => join());
  leaveButton.addEventListener('click', () => leave());
  micButton.addEventListener('click', () => setMic(!media.audio));
  camButton.addEventListener('click', () => (media.video ? stopCamera() : startCamera()));
  screenButton.addEventListener('click', () => (media.screen ? stopScreen() : startScreen()));
  // Leaving the page leaves the call for everyone at once (the close alone would too, 1001).
  window.addEventListener('pagehide', () => {
    if (joined) send({ type: 'leave' });
  });

  updateControls();
  renderRoster();
  connect();

  const api = {
    join,
    leave,
    reconnect,
    state: () => ({
      joined, me, media: { ...media }, videoAllowed,
      peers: [...peers.values()].map((p) => ({
        id: p.id, username: p.username, polite: p.polite, media: p.media,
        connection: p.pc.connectionState, ice: p.pc.iceConnectionState, signaling: p.pc.signalingState,
      })),
    }),
    metrics: () => JSON.parse(JSON.stringify(metrics)),
  };
  window.codepusher = Object.assign(window.codepusher || {}, { call: api });
  return api;
}

function start() {
  const root = document.getElementById('room');
  const panel = document.getElementById('call');
  if (root && panel && !panel.dataset.mounted) {
    panel.dataset.mounted = 'true';
    mountCall(root, panel);
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
