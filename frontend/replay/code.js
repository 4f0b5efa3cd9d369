// The replay's code view: a read-only CodeMirror with the room editor's highlighting and theme.
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { oneDark } from '@codemirror/theme-one-dark';

import { languageSupport } from '../editor/languages.js';

/** Mount the view in `parent`; returns {show(text), text()}. */
export function createCodeView(parent, language) {
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
      if (text === view.state.doc.toString()) return;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    text: () => view.state.doc.toString(),
  };
}
