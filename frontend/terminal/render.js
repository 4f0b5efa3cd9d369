// How the terminal shows the server's run events: backlog, run.queued, run.started, output,
// test.result, run.finished and error. Events carry their run's id and a `seq`, so an event
// replayed by a reconnect is shown once.

import { A, clip, colorEscape, indent, sanitizeOutput } from './ansi.js';

const SAMPLE_FIELD_MAX = 1500;
const FINISHED_MAX = 500;

const VERDICT_LABEL = {
  ACCEPTED: 'ACCEPTED',
  WRONG_ANSWER: 'WRONG ANSWER',
  TIME_LIMIT_EXCEEDED: 'TIME LIMIT EXCEEDED',
  MEMORY_LIMIT_EXCEEDED: 'MEMORY LIMIT EXCEEDED',
  OUTPUT_LIMIT_EXCEEDED: 'OUTPUT LIMIT EXCEEDED',
  RUNTIME_ERROR: 'RUNTIME ERROR',
  COMPILATION_ERROR: 'COMPILATION ERROR',
  INTERNAL_ERROR: 'INTERNAL ERROR',
};

function verdictColor(v) {
  if (v === 'ACCEPTED') return A.green;
  if (v === 'INTERNAL_ERROR') return A.magenta;
  if (v === 'COMPILATION_ERROR') return A.yellow;
  return A.red;
}

function verdictText(v) {
  return VERDICT_LABEL[v] || String(v || 'UNKNOWN');
}

// The toolbar's words: "Submit" judges against every test case, "Run" runs with custom input.
function modeText(mode) {
  if (mode === 'interactive') return 'interactive · input typed live';
  return mode === 'push' ? 'submit · all test cases' : 'run · custom input';
}

function modeWord(mode) {
  return { push: 'submit', interactive: 'interactive run' }[mode] || 'run';
}

/**
 * The end of a custom-input run: it has no expected output, so nothing to accept. It finished
 * (exit code, time) or it did not (runtime error, limits, compilation); never a pass colour.
 */
function runEndLine(msg) {
  const v = msg.verdict;
  const exit = Number.isInteger(msg.exit_code) ? msg.exit_code : v === 'ACCEPTED' ? 0 : null;
  const time = Number.isFinite(msg.time_ms) ? ` · ${msg.time_ms} ms` : '';
  const detail = msg.detail ? ` ${A.dim}— ${sanitizeOutput(msg.detail)}${A.reset}` : '';
  if (msg.mode === 'interactive') {
    // Never a verdict: it exited (with its status) or was stopped (the detail says why).
    return exit !== null ? `${A.bold}■ Finished${A.reset} · exit ${exit}${time}` : `${A.bold}■ Stopped${A.reset}${time}${detail}`;
  }
  if (v === 'ACCEPTED') return `${A.bold}■ Finished${A.reset} · exit ${exit}${time}`;
  const code = exit !== null ? ` · exit ${exit}` : '';
  return `${A.bold}${verdictColor(v)}■ ${verdictText(v)}${A.reset}${verdictColor(v)}${code}${time}${A.reset}${detail}`;
}

const VERDICT_WORD = (v) => (v === 'ACCEPTED' ? 'passed' : 'failed');

/** "bo changed lines 12-14 (v311-v329)" for one blame entry. */
function blameText(b) {
  const [start, end] = Array.isArray(b.lines) ? b.lines : [];
  const lines = start === end ? `line ${start}` : `lines ${start}-${end}`;
  const [from, to] = Array.isArray(b.versions) ? b.versions : [];
  const versions = from === to ? `v${from}` : `v${from}-v${to}`;
  return `${sanitizeOutput(String(b.user || 'someone'))} changed ${lines} (${versions})`;
}

/**
 * The lines saying which tests a push broke or fixed since the previous one, and whose edits
 * touched the lines involved: "test 4 broke: bo changed lines 12-14 (v311-v329) · …".
 */
export function changeLines(changes) {
  const out = [];
  for (const c of Array.isArray(changes) ? changes : []) {
    const broke = c.before === 'ACCEPTED' && c.after !== 'ACCEPTED';
    const what = broke ? `${A.red}test ${c.position} broke${A.reset}` : `${A.green}test ${c.position} fixed${A.reset}`;
    const blame = (c.blame || []).map(blameText).join(' · ');
    const note = c.note ? sanitizeOutput(c.note) : '';
    const why = blame || note || `${VERDICT_WORD(c.before)} before, ${VERDICT_WORD(c.after)} now`;
    out.push(`  ${A.bold}${what}${A.reset}: ${why}`);
  }
  return out;
}

/**
 * @param {object} out
 * @param {(text: string) => void} out.print      text above the prompt
 * @param {(line: string) => void} out.println    whole lines above the prompt
 * @param {string} username                       to mark your own runs
 * @param {Object<string, string>} colors         member → #rrggbb
 * @returns {(msg: object) => void}
 */
export function createRunRenderer({ print, println: printLine }, username, colors = {}) {
  const println = (line) => printLine(line, true); // our lines break between words
  const runs = new Map(); // id → {user, mode, printed (chars of output seen), started, seq}
  const finished = new Set(); // ids of runs shown to their end: a replay of them is skipped

  function runInfo(id) {
    const key = String(id);
    if (!runs.has(key)) runs.set(key, { user: '', mode: '', printed: 0, started: false, seq: -1 });
    return runs.get(key);
  }

  /** False for an event already shown (same run and seq, or a run shown to its end). */
  function isFresh(msg) {
    if (msg.run === undefined || msg.type === 'backlog') return true;
    if (finished.has(String(msg.run))) return false;
    if (!Number.isInteger(msg.seq)) return true;
    const info = runInfo(msg.run);
    if (msg.seq <= info.seq) return false;
    info.seq = msg.seq;
    return true;
  }

  function who(user) {
    const u = sanitizeOutput(String(user || 'someone'));
    const name = `${colorEscape(colors[u])}${u}${A.reset}`;
    return u === username ? `${name} ${A.dim}(you)${A.reset}` : name;
  }

  // A run that had finished before this page connected is shown again from the backlog: say so,
  // rather than call the latest run "earlier".
  function startHeader(id, info, suffix = info.replayed ? ' (replay)' : '') {
    info.started = true;
    println(`${A.bold}${A.cyan}▶ ${A.bold}${who(info.user)}${A.bold} ${modeText(info.mode)}${A.reset} ${A.dim}#${id}${suffix}${A.reset}`);
  }

  function printOutput(info, data, stream) {
    const clean = sanitizeOutput(data);
    info.printed += String(data).length;
    if (!clean) return;
    if (stream === 'stderr') print(A.red + clean.replace(/\n/g, `${A.reset}\n${A.red}`) + A.reset);
    else print(clean);
  }

  /** The one dim line of an earlier run: "#12 ada submit · WRONG ANSWER" (backlog or run list). */
  function summaryLine(r) {
    const v = r.verdict;
    const status = r.status ?? r.state ?? 'done';
    let outcome = `${verdictColor(v)}${verdictText(v)}`;
    if (status !== 'done') outcome = `${A.dim}${sanitizeOutput(String(status))}`;
    else if (r.mode !== 'push' && v === 'ACCEPTED') outcome = `${A.reset}finished`;
    return `${A.dim}  #${r.id ?? r.run} ${A.reset}${who(r.user)} ${A.dim}${modeWord(r.mode)} ·${A.reset} ${outcome}${A.reset}`;
  }

  /** One dim line per earlier finished run (oldest first), so a reload keeps the session's story. */
  function summarize(older) {
    const fresh = older.filter((r) => !finished.has(String(r.id ?? r.run)) && !runInfo(r.id ?? r.run).started);
    if (!fresh.length) return;
    println(`${A.dim}Earlier runs (scroll up for older ones; History shows their tests):${A.reset}`);
    for (const r of fresh.reverse()) {
      const id = String(r.id ?? r.run);
      println(summaryLine(r));
      runs.delete(id);
      finished.add(id);
    }
  }

  function backlog(msg) {
    const list = Array.isArray(msg.runs) ? msg.runs : [];
    summarize(list.slice(1).filter((r) => r && typeof r === 'object' && (r.status ?? r.state) === 'done'));
    let active = null;
    for (const r of list) {
      if (!r || typeof r !== 'object') continue;
      const id = r.id ?? r.run;
      if (id === undefined) continue;
      const info = runInfo(id);
      info.user = r.user ?? info.user;
      info.mode = r.mode ?? info.mode;
      const status = r.status ?? r.state ?? '';
      if (status === 'running' || status === 'started') active = id;
      else if (status === 'done' && !info.started) info.replayed = true;
      else if (status === 'queued' && !info.started && !info.queuedShown) {
        info.queuedShown = true;
        println(`${A.dim}⋯ ${who(info.user)}${A.dim} queued ${modeWord(info.mode)} #${id}${A.reset}`);
      }
    }
    if (active === null && list.length === 1 && typeof msg.output === 'string' && msg.output) {
      active = list[0].id ?? list[0].run;
    }
    if (typeof msg.output === 'string' && msg.output) {
      const info = active !== null ? runInfo(active) : { user: '', mode: '', printed: 0, started: true };
      if (!info.started) startHeader(active, info, ' (in progress)');
      if (msg.output.length > info.printed) {
        const fresh = msg.output.slice(info.printed);
        info.printed = 0;
        printOutput(info, fresh, 'stdout');
        info.printed = msg.output.length;
      }
    }
  }

  function testResult(msg) {
    const v = msg.verdict;
    const ok = v === 'ACCEPTED';
    const mark = ok ? `${A.green}✔` : `${verdictColor(v)}✘`;
    const time = Number.isFinite(msg.time_ms) ? ` ${A.dim}${msg.time_ms} ms${A.reset}` : '';
    const kind = msg.sample ? ` ${A.dim}(sample)${A.reset}` : '';
    println(`  ${mark} test ${msg.position}${A.reset}${kind} ${verdictColor(v)}${verdictText(v)}${A.reset}${time}`);
    if (!ok && msg.detail) println(`      ${A.dim}${sanitizeOutput(msg.detail)}${A.reset}`);
    if (!ok && msg.sample) {
      for (const [label, key] of [['input', 'stdin'], ['expected', 'expected'], ['got', 'actual']]) {
        if (msg[key] === undefined) continue;
        const body = sanitizeOutput(clip(msg[key], SAMPLE_FIELD_MAX));
        println(`      ${A.dim}${label}:${A.reset}`);
        printLine(indent(body === '' ? `${A.dim}(empty)${A.reset}` : body, `        ${key === 'actual' ? A.yellow : ''}`));
      }
    }
  }

  function runFinished(msg) {
    const info = runInfo(msg.run);
    const mode = msg.mode || info.mode;
    const by = info.user ? ` ${A.dim}(${sanitizeOutput(info.user)}'s ${modeWord(mode)} #${msg.run})${A.reset}` : '';
    if (mode === 'run' || mode === 'interactive') {
      println(runEndLine({ ...msg, mode }) + by);
    } else {
      const v = msg.verdict;
      const total = Number(msg.total);
      const passed = Number(msg.passed);
      const counts = total > 0 ? ` ${passed}/${total} tests passed` : '';
      const detail = msg.detail ? ` ${A.dim}— ${sanitizeOutput(msg.detail)}${A.reset}` : '';
      println(`${A.bold}${verdictColor(v)}■ ${verdictText(v)}${A.reset}${verdictColor(v)}${counts}${A.reset}${detail}${by}`);
      if (msg.previous) {
        const lines = changeLines(msg.changes);
        if (lines.length) println(`${A.dim}since #${msg.previous}:${A.reset}`);
        for (const line of lines) println(line);
      }
    }
    runs.delete(String(msg.run));
    finished.add(String(msg.run));
    if (finished.size > FINISHED_MAX) finished.delete(finished.values().next().value);
  }

  function render(msg) {
    if (!isFresh(msg)) return;
    switch (msg.type) {
      case 'backlog':
        return backlog(msg);
      case 'run.queued': {
        const info = runInfo(msg.run);
        info.user = msg.user ?? info.user;
        info.mode = msg.mode ?? info.mode;
        if (info.started) return;
        info.queuedShown = true;
        const pos = Number(msg.position);
        const where = pos > 0 ? `${pos} ahead in the queue` : 'next in the queue';
        return println(`${A.dim}⋯ ${who(info.user)}${A.dim} queued ${modeWord(info.mode)} #${msg.run} (${where})${A.reset}`);
      }
      case 'run.started': {
        const info = runInfo(msg.run);
        info.user = msg.user ?? info.user;
        info.mode = msg.mode ?? info.mode;
        if (!info.started) startHeader(msg.run, info);
        return;
      }
      case 'output': {
        const info = runInfo(msg.run);
        if (!info.started) startHeader(msg.run, info);
        return printOutput(info, msg.data ?? '', msg.stream);
      }
      case 'test.result':
        return testResult(msg);
      case 'run.finished':
        return runFinished(msg);
      case 'error':
        return println(`${A.red}✘ ${sanitizeOutput(msg.message ?? 'error')}${A.reset}`);
      default:
        // Unknown message types are ignored so the server can add new ones.
        return;
    }
  }

  render.summaryLine = summaryLine; // the older runs loaded as the terminal scrolls up (older.js)
  return render;
}
