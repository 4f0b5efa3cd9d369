// Syntax support per editor grammar. The grammar of a session's language is the `editor` name
// of its entry in execution/languages.py (one entry per language); each grammar is a separate
// chunk, loaded only when a session uses it. tests/execution/test_languages.py checks that every
// registered language names a grammar listed here.

const GRAMMARS = {
  python: () => import('@codemirror/lang-python').then((m) => m.python()),
  javascript: () => import('@codemirror/lang-javascript').then((m) => m.javascript()),
  typescript: () => import('@codemirror/lang-javascript').then((m) => m.javascript({ typescript: true })),
  c: () => import('@codemirror/lang-cpp').then((m) => m.cpp()),
  cpp: () => import('@codemirror/lang-cpp').then((m) => m.cpp()),
  java: () => import('@codemirror/lang-java').then((m) => m.java()),
  go: () => import('@codemirror/lang-go').then((m) => m.go()),
  rust: () => import('@codemirror/lang-rust').then((m) => m.rust()),
  ruby: () =>
    Promise.all([import('@codemirror/language'), import('@codemirror/legacy-modes/mode/ruby')]).then(
      ([language, mode]) => language.StreamLanguage.define(mode.ruby),
    ),
};

/** Resolves to the CodeMirror LanguageSupport for an editor grammar ([] if unknown). */
export async function languageSupport(name) {
  const load = GRAMMARS[String(name || '').toLowerCase()];
  return load ? load() : [];
}

export const GRAMMAR_NAMES = Object.keys(GRAMMARS);
