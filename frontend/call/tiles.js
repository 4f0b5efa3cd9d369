// The call's tiles (one per camera, one per shared screen) and the video stage that shows them.
import { el } from '../lib/dom.js';

export function tileKey(id, kind = 'camera') {
  return `${id}:${kind}`;
}

/**
 * @param {object} o
 * @param {HTMLElement} o.root     #room (gets call-has-video / call-stage-open)
 * @param {(key: string) => void} o.onRemove  a tile went away (stop measuring its audio)
 */
export function createTileBoard({ root, onRemove }) {
  const tiles = el('div', { class: 'call-tiles' });
  const stageButton = el('button', {
    class: 'button small ghost call-stage-toggle',
    type: 'button',
    title: 'Show the statement / the video stage',
    text: 'Statement',
  });
  const stage = el('div', { class: 'call-stage' }, el('div', { class: 'call-stage-head' }, stageButton), tiles);
  const find = (key) => tiles.querySelector(`[data-key="${key}"]`);

  // ---- the video stage: over the statement column while the call has video -----------------
  let stageCollapsed = false;
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
  function updateStage() {
    const hasVideo = !!tiles.querySelector('.call-tile[data-video="on"]');
    root.classList.toggle('call-has-video', hasVideo);
    root.classList.toggle('call-stage-open', hasVideo && !stageCollapsed);
    stageButton.textContent = stageCollapsed ? 'Video stage' : 'Statement';
    placeStage();
  }
  stageButton.addEventListener('click', () => {
    stageCollapsed = !stageCollapsed;
    updateStage();
  });
  window.addEventListener('resize', placeStage);
  if (window.ResizeObserver) new ResizeObserver(placeStage).observe(root);

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
