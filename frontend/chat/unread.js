// Unread count while the chat is collapsed, scrolled out of view or the tab is hidden: a badge,
// a mention colour, and "(3)" in the page title. The collapsed state is remembered.

const COLLAPSED_KEY = 'codepusher.chat.collapsed';

/**
 * @param {object} parts  {panel, body, list, scroller, badge, toggle}
 * @returns {{isSeen(): boolean, add(mention: boolean): void, get count(): number}}
 */
export function createUnread({ panel, body, list, scroller, badge, toggle }) {
  let unread = 0;
  let mention = false;
  let collapsed = localStorage.getItem(COLLAPSED_KEY) === '1';
  let inView = true;
  const baseTitle = document.title;

  const isSeen = () => !collapsed && inView && document.visibilityState !== 'hidden';

  function show() {
    badge.hidden = unread === 0;
    badge.textContent = unread > 99 ? '99+' : String(unread);
    badge.classList.toggle('chat-unread-mention', mention);
    panel.dataset.unread = String(unread);
    document.title = unread ? `(${unread}) ${baseTitle}` : baseTitle;
  }
  function markSeen() {
    if (!isSeen() || unread === 0) return;
    unread = 0;
    mention = false;
    show();
  }
  function applyCollapsed() {
    panel.classList.toggle('chat-collapsed', collapsed);
    body.hidden = collapsed;
    toggle.textContent = collapsed ? 'Show' : 'Hide';
    toggle.setAttribute('aria-expanded', String(!collapsed));
    if (!collapsed) scroller.scrollTop = scroller.scrollHeight;
  }
  toggle.addEventListener('click', () => {
    collapsed = !collapsed;
    localStorage.setItem(COLLAPSED_KEY, collapsed ? '1' : '0');
    applyCollapsed();
    markSeen();
  });
  document.addEventListener('visibilitychange', markSeen);
  window.addEventListener('focus', markSeen);
  if ('IntersectionObserver' in window) {
    new IntersectionObserver((entries) => {
      inView = entries[entries.length - 1].isIntersecting;
      markSeen();
    }).observe(list);
  }
  applyCollapsed();
  show();

  return {
    isSeen,
    add(isMention) {
      unread += 1;
      if (isMention) mention = true;
      show();
    },
    get count() {
      return unread;
    },
  };
}
