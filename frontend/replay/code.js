// The replay's code view: a read-only CodeMirror with the room editor's highlighting and theme.
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { oneDark } from '@codemirror/theme-one-dark';

import { languageSupport } from '../editor/languages.js';

/** Mount the view in `parent`; returns {show(text), text()}. */
export function createCodeView(parent, language) {
  parent.replaceChildren(); // the server's drawing of the first frame, until now
  const grammar = new Compartment();
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: '',
      extensions: [
        basicSetup,
        oneDark,
        grammar.of([]),
        EditorState.readOnly.of(true),
        EditorView.editable.of(false),
        EditorView.contentAttributes.of({ 'aria-label': 'Code at this moment (read-only)' }),
      ],
    }),
  });
  languageSupport(language).then((support) => view.dispatch({ effects: grammar.reconfigure(support) }));
  return {
    show(text) {
      // Only the part that differs is replaced, so highlighting is re-parsed incrementally.
      const old = view.state.doc.toString();
      if (text === old) return;
      let from = 0;
      const max = Math.min(old.length, text.length);
      while (from < max && old.charCodeAt(from) === text.charCodeAt(from)) from += 1;
      let tail = 0;
      while (tail < max - from && old.charCodeAt(old.length - 1 - tail) === text.charCodeAt(text.length - 1 - tail)) tail += 1;
      view.dispatch({ changes: { from, to: old.length - tail, insert: text.slice(from, text.length - tail) } });
    },
    text: () => view.state.doc.toString(),
  };
}
