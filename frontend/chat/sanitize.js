// Message HTML from the server is rendered from Markdown and sanitised with nh3; it is filtered
// here again against the same allow-list before it is shown.

// The server's allow-list (codepusher/markdown.py); anything else is dropped before display.
const ALLOWED_TAGS = new Set([
  'A', 'P', 'BR', 'HR', 'STRONG', 'EM', 'B', 'I', 'CODE', 'PRE', 'SPAN', 'DIV', 'BLOCKQUOTE',
  'UL', 'OL', 'LI', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'TABLE', 'THEAD', 'TBODY', 'TR', 'TH',
  'TD', 'DEL', 'SUP', 'SUB',
]);
const ALLOWED_ATTRS = new Set(['class', 'href', 'title', 'rel', 'align', 'lang']);
const SAFE_URL = /^(https?:|mailto:)/i;

/** Parse server HTML into an inert fragment holding only allow-listed tags and attributes. */
export function safeFragment(html) {
  const template = document.createElement('template');
  template.innerHTML = html; // template content is inert: no scripts run, no images load
  const walk = (parent) => {
    for (const node of [...parent.childNodes]) {
      if (node.nodeType === Node.TEXT_NODE) continue;
      if (node.nodeType !== Node.ELEMENT_NODE || !ALLOWED_TAGS.has(node.tagName)) {
        node.remove();
        continue;
      }
      for (const attr of [...node.attributes]) {
        const name = attr.name.toLowerCase();
        const bad = !ALLOWED_ATTRS.has(name) || (name === 'href' && !SAFE_URL.test(attr.value.trim()));
        if (bad) node.removeAttribute(attr.name);
      }
      if (node.tagName === 'A') {
        node.target = '_blank';
        node.rel = 'noopener noreferrer nofollow';
      }
      walk(node);
    }
  };
  walk(template.content);
  return template.content;
}
