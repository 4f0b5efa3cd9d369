// The session replay page (/s/<session_id>/replay/): loads the timeline API page by page, shows
// the code at any moment read-only, plays it at 1x/2x/8x (optionally skipping idle gaps), and
// shows runs, messages and comings and goings on per-member tracks. "Restore this version"
// writes the shown code into the live session as one op; "Download" saves the session as JSON.
//
// window.codepusherReplay = {model, seek, seekVersion, textAt, play, pause, state}: tests, benches.
import { api } from '../lib/api.js';
import { el, onReady } from '../lib/dom.js';
import { blameText } from '../history.js';
import { mountStats } from '../stats.js';
import { createCodeView } from './code.js';
import { advance, createModel, eventTimes, textAt, timeOfVersion, tracks, versionAt } from './model.js';
import { renderTracks, verdictClass } from './tracks.js';

const PAGE = 5000;

function clock(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

function start() {
  const root = document.getElementById('replay');
  if (!root) return;
  const config = JSON.parse(document.getElementById('replay-config').textContent);
  const $ = (sel) => root.querySelector(sel);
  const code = createCodeView($('.replay-code'), config.language);
  const status = $('.replay-status');
  const scrubber = $('[data-replay=scrubber]');
  const playButton = $('[data-replay=play]');
  const speedSelect = $('[data-replay=speed]');
  const skipIdle = $('[data-replay=skip-idle]');
  const timeLabel = $('[data-replay=time]');
  const versionLabel = $('[data-replay=version]');
  const messagesList = $('.replay-messages');
  const runPanel = $('.replay-run');
  const restoreButton = $('[data-replay=restore]');
  const statsPanel = $('.replay-stats'); // members only, as the stats API
  if (statsPanel) mountStats(statsPanel, { sessionId: config.sessionId, open: true });

  const model = createModel({ pasteChars: config.pasteChars });
  let times = [];
  let lane = null;
  let t = 0;
  let playing = false;
  let last = 0;
  let shownVersion = -1;

  function rebuild() {
    times = eventTimes(model);
    lane = renderTracks($('.replay-tracks'), model, tracks(model), config.colors, pick);
    scrubber.min = String(model.start);
    scrubber.max = String(model.end);
    scrubber.step = '1';
  }

  function render() {
    const v = versionAt(model, t);
    if (v !== shownVersion) {
      code.show(textAt(model, v));
      shownVersion = v;
    }
    scrubber.value = String(t);
    timeLabel.textContent = `${clock(t - model.start)} / ${clock(model.end - model.start)}`;
    versionLabel.textContent = `version ${v} of ${model.lastVersion}`;
    if (lane) lane.setTime(t);
    renderMessages();
    if (restoreButton) restoreButton.disabled = v < 1 || v === model.lastVersion;
  }

  let messagesShown = -1;
  function renderMessages() {
    const visible = model.messages.filter((m) => m.at <= t);
    if (visible.length === messagesShown) return;
    messagesShown = visible.length;
    messagesList.replaceChildren(
      ...visible.slice(-50).map((m) => {
        const body = el('div', { class: 'markdown chat-body' });
        body.innerHTML = m.html; // sanitised on the server when sent (codepusher/markdown.py)
        return el('li', { class: 'replay-message-item', 'data-message': m.id },
          el('div', { class: 'muted' }, el('strong', { text: m.user }), m.to ? ` → ${m.to}` : '', ` · ${clock(m.at - model.start)}`),
          body);
      }),
    );
    if (!visible.length) messagesList.append(el('li', { class: 'muted', text: 'No messages yet at this moment.' }));
    messagesList.scrollTop = messagesList.scrollHeight;
  }

  function seek(time) {
    t = Math.min(model.end, Math.max(model.start, time));
    render();
  }

  function seekVersion(v) {
    seek(timeOfVersion(model, v));
  }

  function frame(now) {
    if (!playing) return;
    const elapsed = now - last;
    last = now;
    t = advance(times, t, elapsed, Number(speedSelect.value), skipIdle.checked);
    if (t >= model.end) {
      t = model.end;
      pause();
    }
    render();
    if (playing) requestAnimationFrame(frame);
  }

  function play() {
    if (playing) return;
    if (t >= model.end) t = model.start;
    playing = true;
    playButton.textContent = '❚❚ Pause';
    last = performance.now();
    requestAnimationFrame(frame);
  }

  function pause() {
    playing = false;
    playButton.textContent = '▶ Play';
  }

  async function pick(event) {
    pause();
    seek(event.at);
    if (event.kind !== 'run') return;
    if (event.version) seekVersion(event.version);
    if (lane) lane.highlight([]);
    runPanel.hidden = false;
    runPanel.replaceChildren(el('p', { class: 'muted', text: 'Loading the run…' }));
    try {
      const run = await api(`/api/runs/${event.id}/`);
      runPanel.replaceChildren(
        el('h3', {}, `${run.mode === 'push' ? 'Submit' : 'Run'} by ${run.user} · `,
          el('span', { class: `verdict verdict-${verdictClass(run.verdict)}`, text: run.verdict || run.status })),
        el('p', { class: 'muted', text: run.version ? `Code of version ${run.version} (shown on the left).` : 'This run carried its own code.' }),
        el('ul', { class: 'replay-tests' }, ...run.tests.map((test) => el('li', {},
          el('span', { class: `verdict verdict-${verdictClass(test.verdict)}`, text: test.verdict }),
          ` test ${test.position}${test.time_ms != null ? ` · ${test.time_ms} ms` : ''}`))),
        // What this push broke or fixed since the previous one, and whose edits it blames:
        // those edits are ringed on the tracks.
        (run.changes || []).length ? el('ul', { class: 'replay-changes' }, ...run.changes.map((c) => el('li', { text: blameText(c) }))) : null,
        el('pre', { class: 'replay-output', text: run.output || '(no output)' }),
      );
      runPanel.dataset.run = String(run.id);
      if (lane) lane.highlight((run.changes || []).flatMap((c) => c.blame || []));
    } catch (error) {
      runPanel.replaceChildren(el('p', { class: 'form-error', text: `Could not load the run: ${error.message}` }));
    }
  }

  async function restore() {
    const v = versionAt(model, t);
    if (!window.confirm(`Write the code of version ${v} into the live session? Everyone sees it, and it can be undone.`)) return;
    restoreButton.disabled = true;
    try {
      const data = await api(config.api.restore, 'POST', { version: v });
      status.textContent = `Version ${v} restored: the live code is now version ${data.v}.`;
      status.dataset.kind = 'ok';
    } catch (error) {
      status.textContent = `Restore failed: ${error.message}`;
      status.dataset.kind = 'error';
    } finally {
      restoreButton.disabled = false;
    }
  }

  playButton.addEventListener('click', () => (playing ? pause() : play()));
  scrubber.addEventListener('input', () => {
    pause();
    seek(Number(scrubber.value));
  });
  if (restoreButton) restoreButton.addEventListener('click', restore);
  document.addEventListener('keydown', (e) => {
    if (e.target.closest && e.target.closest('input, select, textarea, .cm-editor')) return;
    const step = (model.end - model.start) / 100 || 1000;
    if (e.key === ' ') {
      e.preventDefault();
      if (playing) pause();
      else play();
    } else if (e.key === 'ArrowRight') seek(t + (e.shiftKey ? step * 10 : step));
    else if (e.key === 'ArrowLeft') seek(t - (e.shiftKey ? step * 10 : step));
  });

  async function load() {
    let after = '';
    const limit = PAGE;
    let count = 0;
    let page = config.firstPage; // rendered into the page by the server
    for (;;) {
      page = page || (await api(`${config.api.timeline}?limit=${limit}${after ? `&after=${encodeURIComponent(after)}` : ''}`));
      model.addEvents(page.events);
      count += page.events.length;
      if (!after) {
        rebuild(); // the first page: show its first frame now
        seek(model.start);
        // Since the navigation started (performance's time origin): what a visitor waits.
        root.dataset.firstFrameMs = String(Math.round(performance.now()));
      }
      if (!page.next) break;
      after = page.next;
      page = null;
      status.textContent = `Loading… ${count} events`;
    }
    rebuild(); // the tracks and the scrubber's range, once, for the whole session
    render();
    status.textContent = `${model.lastVersion} versions, ${model.runs.length} runs, ${model.messages.length} messages.`;
    root.dataset.loaded = 'true';
    root.dataset.loadedMs = String(Math.round(performance.now()));
  }

  window.codepusherReplay = {
    model,
    seek,
    seekVersion,
    textAt: (v) => textAt(model, v),
    play,
    pause,
    state: () => ({ t, playing, version: versionAt(model, t), text: code.text() }),
  };
  load().catch((error) => {
    status.textContent = `Could not load the session's history: ${error.message}`;
    status.dataset.kind = 'error';
  });
}

onReady(start);
