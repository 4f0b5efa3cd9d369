// "ada is typing…": shown for a few seconds after each typing frame from another member.

const TYPING_SHOW_FOR_MS = 4000; // a typing indicator expires unless repeated

/** Returns {onTyping(frame), clear(username)} writing into `line`; frames from `me` are ignored. */
export function createTypingIndicator(line, me) {
  const typing = new Map(); // username -> {timer, direct}

  function render() {
    const names = [...typing.keys()];
    if (!names.length) {
      line.textContent = '';
      return;
    }
    const direct = names.length === 1 && typing.get(names[0]).direct ? ' (to you)' : '';
    const who = names.length <= 2 ? names.join(' and ') : `${names.length} people`;
    line.textContent = `${who} ${names.length === 1 ? 'is' : 'are'} typing${direct}…`;
  }

  function clear(username) {
    const current = typing.get(username);
    if (!current) return;
    clearTimeout(current.timer);
    typing.delete(username);
    render();
  }

  function onTyping(frame) {
    if (!frame.user || frame.user === me) return;
    const current = typing.get(frame.user);
    if (current) clearTimeout(current.timer);
    const timer = setTimeout(() => clear(frame.user), TYPING_SHOW_FOR_MS);
    typing.set(frame.user, { timer, direct: Boolean(frame.direct) });
    render();
  }

  return { onTyping, clear };
}
