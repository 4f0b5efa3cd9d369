// Syntax support per session language. Each grammar is a separate chunk, loaded only when a
// session uses it.

const LANGUAGES = {
  python: () => import('@codemirror/lang-python').then((m) => m.python()),
  javascript: () => import('@codemirror/lang-javascript').then((m) => m.javascript()),
  typescript: () => import('@codemirror/lang-javascript').then((m) => m.javascript({ typescript: true })),
  cpp: () => import('@codemirror/lang-cpp').then((m) => m.cpp()),
};
const LANGUAGE_ALIASES = {
  py: 'python',
  python3: 'python',
  js: 'javascript',
  node: 'javascript',
  nodejs: 'javascript',
  ts: 'typescript',
  'c++': 'cpp',
  cxx: 'cpp',
  c: 'cpp',
};

/** Resolves to the CodeMirror LanguageSupport for a session language ([] if unknown). */
export async function languageSupport(name) {
  const key = String(name || '').toLowerCase();
  const load = LANGUAGES[LANGUAGE_ALIASES[key] || key];
  return load ? load() : [];
}
