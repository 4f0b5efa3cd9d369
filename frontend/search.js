// Search as you type. Mounts itself on what the page has:
//
//   #catalogue-form        the catalogue: results (#catalogue-results) follow the query and
//                          filters, debounced, stale requests aborted, URL kept in sync
//   [data-search-input]    the header box: a dropdown of the top 5 matches from /api/search/,
//                          navigable with ↑/↓, Enter opens, Esc closes
//
// Both are plain GET forms, so everything also works without JavaScript.

const DEBOUNCE_MS = 150;
const SUGGESTIONS = 5;

/** Run `fn` after `ms` of quiet; returns the wrapped function. */
function debounce(fn, ms) {
  let timer = 0;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/** The form's query string (empty values and page dropped), e.g. "q=knap&difficulty=easy". */
function formQuery(form) {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(form)) {
    if (name !== 'page' && String(value).trim() !== '') params.append(name, value);
  }
  return params;
}

function mountCatalogue(form) {
  const results = document.getElementById('catalogue-results');
  const input = form.querySelector('input[name="q"]');
  if (!results || !input) return;
  let controller = null;
  let lastQuery = formQuery(form).toString();

  async function load(params, { force = false } = {}) {
    const query = params.toString();
    if (!force && query === lastQuery) return;
    lastQuery = query;
    controller?.abort();
    controller = new AbortController();
    // The attribute, not `form.action`: without one that is the current URL, query included.
    const path = form.getAttribute('action') || window.location.pathname;
    const url = query ? `${path}?${query}` : path;
    results.setAttribute('aria-busy', 'true');
    try {
      const response = await fetch(url, {
        headers: { 'X-Catalogue-Partial': '1' },
        signal: controller.signal,
        credentials: 'same-origin',
      });
      if (!response.ok) throw new Error(`search failed: ${response.status}`);
      results.innerHTML = await response.text();
      window.history.replaceState(null, '', query ? `?${query}` : window.location.pathname);
      results.dispatchEvent(new CustomEvent('search:updated', { bubbles: true }));
    } catch (error) {
      if (error.name !== 'AbortError') console.warn(error);
    } finally {
      results.setAttribute('aria-busy', 'false');
    }
  }

  const refresh = debounce(() => load(formQuery(form)), DEBOUNCE_MS);
  input.addEventListener('input', refresh);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    load(formQuery(form), { force: true });
  });
  // Filters live in the results (form="catalogue-form"), so listen on the document.
  document.addEventListener('change', (event) => {
    if (event.target.form === form) load(formQuery(form));
  });
  results.addEventListener('click', (event) => {
    const link = event.target.closest('a[data-search-page]');
    if (!link) return;
    event.preventDefault();
    load(new URL(link.href).searchParams).then(() => results.scrollIntoView({ block: 'start' }));
  });
}

function mountSuggestions(input) {
  const form = input.form;
  if (!form) return;
  const list = document.createElement('ul');
  list.className = 'search-suggestions';
  list.id = 'search-suggestions';
  list.setAttribute('role', 'listbox');
  list.hidden = true;
  form.classList.add('has-suggestions');
  form.append(list);
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-controls', list.id);
  input.setAttribute('aria-expanded', 'false');

  let controller = null;
  let active = -1;
  let items = [];

  function close() {
    list.hidden = true;
    active = -1;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  }

  function highlightItem(index) {
    items.forEach((item, i) => item.setAttribute('aria-selected', String(i === index)));
    active = index;
    if (index >= 0) input.setAttribute('aria-activedescendant', items[index].id);
    else input.removeAttribute('aria-activedescendant');
  }

  function render(data) {
    list.replaceChildren();
    items = data.results.map((hit, i) => {
      const item = document.createElement('li');
      item.id = `search-suggestion-${i}`;
      item.setAttribute('role', 'option');
      item.dataset.url = hit.url;
      const link = document.createElement('a');
      link.href = hit.url;
      link.tabIndex = -1;
      // *_html fields are escaped by the server except for its own <mark> tags.
      link.innerHTML = `<span class="suggestion-title">${hit.title_html}</span>` +
        `<span class="suggestion-meta">${hit.repository_html} · ${hit.author_html}</span>`;
      item.append(link);
      return item;
    });
    if (data.total > items.length) {
      const more = document.createElement('li');
      more.className = 'suggestion-more';
      const link = document.createElement('a');
      link.href = `${form.action}?${new URLSearchParams({ q: input.value })}`;
      link.textContent = `All ${data.total} results →`;
      link.tabIndex = -1;
      more.append(link);
      list.append(...items, more);
    } else if (!items.length) {
      const none = document.createElement('li');
      none.className = 'suggestion-none';
      none.textContent = data.message || 'No challenge matches.';
      list.append(none);
    } else {
      list.append(...items);
    }
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    highlightItem(-1);
  }

  const suggest = debounce(async () => {
    const query = input.value.trim();
    controller?.abort();
    if (!query) return close();
    controller = new AbortController();
    const params = new URLSearchParams({ q: query, page_size: String(SUGGESTIONS) });
    try {
      const response = await fetch(`/api/search/?${params}`, {
        signal: controller.signal,
        credentials: 'same-origin',
        headers: { Accept: 'application/json' },
      });
      // 503: the engine is down; the body still carries the message to show.
      if (!response.ok && response.status !== 503) throw new Error(`suggestions failed: ${response.status}`);
      render(await response.json());
    } catch (error) {
      if (error.name !== 'AbortError') console.warn(error);
    }
  }, DEBOUNCE_MS);

  input.addEventListener('input', suggest);
  input.addEventListener('keydown', (event) => {
    if (list.hidden) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!items.length) return;
      // Positions cycle through the items and back to the input (-1).
      let next = active + (event.key === 'ArrowDown' ? 1 : -1);
      if (next >= items.length) next = -1;
      if (next < -1) next = items.length - 1;
      highlightItem(next);
    } else if (event.key === 'Enter' && active >= 0) {
      event.preventDefault();
      window.location.assign(items[active].dataset.url);
    } else if (event.key === 'Escape') {
      close();
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 150));
  list.addEventListener('mousedown', (event) => event.preventDefault()); // keep focus for clicks
}

function mount() {
  const catalogue = document.getElementById('catalogue-form');
  if (catalogue) mountCatalogue(catalogue);
  for (const input of document.querySelectorAll('[data-search-input]')) mountSuggestions(input);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount);
else mount();
