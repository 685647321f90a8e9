import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { defaultHighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { EditorState } from "@codemirror/state";
import { EditorView, highlightActiveLine, keymap, lineNumbers } from "@codemirror/view";
import { msimLanguage } from "./msim-language.js";

/** A mounted scenario editor. */
export interface ScenarioEditor {
  text(): string;
  setText(text: string): void;
  /** Moves the cursor to line:col (1-based) and focuses the editor. */
  goTo(line: number, col: number): void;
  destroy(): void;
}

/** Mounts CodeMirror with `.msim` highlighting in `parent`; `onChange` hears every edit. */
export function mountScenarioEditor(
  parent: HTMLElement,
  text: string,
  onChange: (text: string) => void,
): ScenarioEditor {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(),
        history(),
        highlightActiveLine(),
        msimLanguage,
        syntaxHighlighting(defaultHighlightStyle),
        keymap.of([...defaultKeymap, ...historyKeymap]),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ "aria-label": "scenario editor" }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) onChange(u.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    text: () => view.state.doc.toString(),
    setText(next) {
      if (next === view.state.doc.toString()) return;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: next } });
    },
    goTo(line, col) {
      const doc = view.state.doc;
      const l = doc.line(Math.max(1, Math.min(doc.lines, line)));
      view.dispatch({
        selection: { anchor: Math.min(l.to, l.from + Math.max(0, col - 1)) },
        scrollIntoView: true,
      });
      view.focus();
    },
    destroy: () => view.destroy(),
  };
}
