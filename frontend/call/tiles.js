// The call's tiles (one per camera, one per shared screen) and the video stage that shows them.
import { el } from '../lib/dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const FLOAT_KEY = 'codepusher.call.float';
const MARGIN = 8;

/** The site's microphone-off icon (inline SVG, drawn in the text colour; no emoji font needed). */
function mutedIcon() {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('class', 'call-icon');
  svg.setAttribute('aria-hidden', 'true');
  for (const d of ['M8 1.5a2.5 2.5 0 0 0-2.5 2.5v4a2.5 2.5 0 0 0 5 0V4A2.5 2.5 0 0 0 8 1.5z',
    'M3.5 7.5a4.5 4.5 0 0 0 9 0M8 12v2.5M5.5 14.5h5', 'M2 2l12 12']) {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}

export function tileKey(id, kind = 'camera') {
  return `${id}:${kind}`;
}

function loadFloat() {
  try {
    const v = JSON.parse(localStorage.getItem(FLOAT_KEY) || '{}');
    return { x: Number(v.x) || null, y: Number(v.y) || null, size: v.size === 'large' ? 'large' : 'small', docked: !!v.docked };
  } catch {
    return { x: null, y: null, size: 'small', docked: false };
  }
}

/**
 * @param {object} o
 * @param {HTMLElement} o.root     #room (gets call-has-video / call-float-open)
 * @param {(key: string) => void} o.onRemove  a tile went away (stop measuring its audio)
 */
export function createTileBoard({ root, onRemove }) {
  const tiles = el('div', { class: 'call-tiles' });
  const button = (text, title, data) =>
    el('button', { class: 'button small ghost', type: 'button', title, 'data-float': data, text });
  const sizeButton = button('Larger', 'Make the video larger', 'size');
  const dockButton = button('Dock', 'Put the video back in the call panel', 'dock');
  const handle = el('div', { class: 'call-stage-handle', title: 'Drag to move', text: 'Call' });
  const stage = el('div', { class: 'call-stage' },
    el('div', { class: 'call-stage-head' }, handle, sizeButton, dockButton), tiles);
  const find = (key) => tiles.querySelector(`[data-key="${key}"]`);

  // ---- the video float: a small window the learner moves and sizes; the statement, the code
  // and the chat stay where they are. "Dock" puts the tiles back in the call panel. ------------
  const float = loadFloat();
  const save = () => localStorage.setItem(FLOAT_KEY, JSON.stringify(float));

  /** Keep the float inside the window (after a drag, a resize of the window, a size change). */
  function place() {
    if (!root.classList.contains('call-float-open')) return;
    const w = stage.offsetWidth;
    const h = stage.offsetHeight;
    const maxX = Math.max(MARGIN, window.innerWidth - w - MARGIN);
    const maxY = Math.max(MARGIN, window.innerHeight - h - MARGIN);
    // At first: the bottom right of the editor column, over the terminal's (mostly empty) right
    // side, clear of the statement and the chat.
    const work = root.querySelector('.room-work');
    const right = work ? work.getBoundingClientRect().right : window.innerWidth;
    const x = Math.min(Math.max(float.x ?? right - w - MARGIN * 2, MARGIN), maxX);
    const y = Math.min(Math.max(float.y ?? window.innerHeight - h - MARGIN * 2, MARGIN), maxY);
    stage.style.left = `${x}px`;
    stage.style.top = `${y}px`;
  }

  function updateStage() {
    const hasVideo = !!tiles.querySelector('.call-tile[data-video="on"]');
    root.classList.toggle('call-has-video', hasVideo);
    root.classList.toggle('call-float-open', hasVideo && !float.docked);
    stage.dataset.size = float.size;
    sizeButton.textContent = float.size === 'large' ? 'Smaller' : 'Larger';
    dockButton.textContent = float.docked ? 'Float' : 'Dock';
    dockButton.title = float.docked ? 'Show the video in a window you can move' : 'Put the video back in the call panel';
    if (!root.classList.contains('call-float-open')) {
      stage.style.left = '';
      stage.style.top = '';
    }
    place();
  }

  sizeButton.addEventListener('click', () => {
    float.size = float.size === 'large' ? 'small' : 'large';
    save();
    updateStage();
  });
  dockButton.addEventListener('click', () => {
    float.docked = !float.docked;
    save();
    updateStage();
  });
  handle.addEventListener('pointerdown', (event) => {
    if (!root.classList.contains('call-float-open')) return;
    event.preventDefault();
    const box = stage.getBoundingClientRect();
    const dx = event.clientX - box.left;
    const dy = event.clientY - box.top;
    handle.setPointerCapture(event.pointerId);
    const move = (e) => {
      float.x = e.clientX - dx;
      float.y = e.clientY - dy;
      place();
    };
    const up = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
      save();
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
  });
  window.addEventListener('resize', place);

  // ---- tiles ---------------------------------------------------------------------------------
  function remove(key) {
    const tile = find(key);
    if (tile) tile.remove();
    onRemove(key);
    updateStage();
  }

  /** The tile for `key`, made on first use; person = {id, username, color, self?}. */
  function ensure(key, person, kind) {
    let tile = find(key);
    if (!tile) {
      const initial = (person.username || '?').slice(0, 1).toUpperCase();
      tile = el('figure', { class: `call-tile call-tile-${kind}`, 'data-key': key, 'data-kind': kind },
        el('video', { class: 'call-video', autoplay: true, playsinline: true, muted: true }),
        el('div', { class: 'call-avatar', 'aria-hidden': 'true', text: initial }),
        el('figcaption', { class: 'call-name' },
          el('span', { class: 'call-speaking', title: 'Speaking' }),
          el('span', { class: 'call-username' }),
          el('span', { class: 'call-mute', title: 'Microphone muted', role: 'img', 'aria-label': 'muted', hidden: true }, mutedIcon())));
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

  function setFlags(tile, state) {
    tile.dataset.audio = state.audio ? 'on' : 'off';
    tile.querySelector('.call-mute').hidden = !!state.audio;
  }

  return {
    stage,
    find,
    remove,
    ensure,
    setVideo,
    setFlags,
    update: updateStage,
    /** Remove every tile but our own (a fresh join). */
    removeOthers() {
      for (const tile of [...tiles.children]) if (tile.dataset.self !== 'true') tile.remove();
    },
  };
}
