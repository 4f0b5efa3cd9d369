// "Copy invite link": the Clipboard API where the page may use it, else a selection and the
// browser's copy command; the button says "Copied" for a moment. The link field shows the whole
// link while it has the focus (it wraps instead of scrolling sideways), selected for copying.

const COPIED_FOR_MS = 2000;

/** Copy `text`; resolves true when it reached the clipboard. `field` holds it for the fallback. */
export async function copyText(text, field) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      /* refused: fall back to the selection */
    }
  }
  if (!field) return false;
  field.focus();
  field.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  }
}

/** Wire the button (#copy-invite) and the field (#invite-url). */
export function mountInvite(button, field) {
  if (!button) return;
  const label = button.textContent;
  let timer = null;
  button.addEventListener('click', async () => {
    const url = button.dataset.inviteUrl || (field && field.value) || '';
    const ok = await copyText(url, field);
    button.textContent = ok ? 'Copied' : 'Press Ctrl+C to copy';
    button.dataset.copied = ok ? 'true' : 'false';
    if (!ok && field) {
      field.focus();
      field.select();
    }
    clearTimeout(timer);
    timer = setTimeout(() => {
      button.textContent = label;
      delete button.dataset.copied;
    }, COPIED_FOR_MS);
  });
  if (field) {
    field.addEventListener('focus', () => {
      field.classList.add('invite-open');
      field.style.height = 'auto';
      field.style.height = `${field.scrollHeight + 2}px`;
      field.select();
    });
    field.addEventListener('blur', () => {
      field.classList.remove('invite-open');
      field.style.height = '';
    });
    // A click would place the caret and undo the selection made on focus.
    field.addEventListener('mouseup', (e) => e.preventDefault());
  }
}
