// The call's buttons: join (with or without camera) while idle; mute, camera, screen and leave
// while in the call.
import { el } from '../lib/dom.js';

export function buildControls() {
  const c = {};
  c.status = el('div', { class: 'call-status', role: 'status', 'aria-live': 'polite' });
  c.roster = el('div', { class: 'call-roster muted' });
  c.withCamera = el('input', { type: 'checkbox', id: 'call-with-camera' });
  c.join = el('button', { class: 'button small', type: 'button', 'data-call': 'join', text: 'Join call' });
  c.mic = el('button', { class: 'button small ghost', type: 'button', 'data-call': 'mic', 'aria-pressed': 'false', text: 'Mute' });
  c.camera = el('button', { class: 'button small ghost', type: 'button', 'data-call': 'camera', 'aria-pressed': 'false', text: 'Camera on' });
  c.screen = el('button', { class: 'button small ghost', type: 'button', 'data-call': 'screen', 'aria-pressed': 'false', text: 'Share screen' });
  c.leave = el('button', { class: 'button small call-leave', type: 'button', 'data-call': 'leave', text: 'Leave' });
  c.idle = el('div', { class: 'call-controls call-idle' }, c.join,
    el('label', { class: 'call-camera-choice', for: 'call-with-camera' }, c.withCamera, ' with camera'));
  c.live = el('div', { class: 'call-controls call-live', hidden: true }, c.mic, c.camera, c.screen, c.leave);
  return c;
}

/** Show the controls for the call's state: {joined, joining, videoAllowed, media, hasMic}. */
export function renderControls(c, { joined, joining, videoAllowed, media, hasMic }) {
  const live = joined || joining;
  c.idle.hidden = live;
  c.live.hidden = !live;
  c.join.disabled = live;
  c.mic.textContent = media.audio ? 'Mute' : 'Unmute';
  c.mic.setAttribute('aria-pressed', String(!media.audio));
  c.mic.disabled = !hasMic;
  c.camera.textContent = media.video ? 'Camera off' : 'Camera on';
  c.camera.setAttribute('aria-pressed', String(media.video));
  c.screen.textContent = media.screen ? 'Stop sharing' : 'Share screen';
  c.screen.setAttribute('aria-pressed', String(media.screen));
  c.camera.title = videoAllowed ? '' : 'Video is full in this call: audio only for now';
}
