import { useEffect, useRef, useState } from "preact/hooks";
import type { ScenarioEditor as Editor } from "../editor/msim-editor.js";

/**
 * The scenario editor. CodeMirror loads on demand (its own chunk), so the first page
 * stays small; until it arrives a plain text area shows the same text.
 */
export function ScenarioEditor(props: {
  readonly text: string;
  readonly onChange: (text: string) => void;
  /** Where to put the cursor (1-based line:col), e.g. at a parse error. */
  readonly focusAt?: { line: number; col: number } | null;
}) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<Editor | null>(null);
  const [ready, setReady] = useState(false);
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    let cancelled = false;
    void import("../editor/msim-editor.js").then(({ mountScenarioEditor }) => {
      if (cancelled || !host.current) return;
      editor.current = mountScenarioEditor(host.current, latest.current.text, (t) =>
        latest.current.onChange(t),
      );
      setReady(true);
    });
    return () => {
      cancelled = true;
      editor.current?.destroy();
      editor.current = null;
    };
  }, []);

  useEffect(() => editor.current?.setText(props.text), [props.text, ready]);
  useEffect(() => {
    if (props.focusAt) editor.current?.goTo(props.focusAt.line, props.focusAt.col);
  }, [props.focusAt, ready]);

  return (
    <div class="editor">
      <div ref={host} class="cm-host" hidden={!ready} />
      {!ready && (
        <textarea
          aria-label="scenario editor"
          rows={14}
          value={props.text}
          onInput={(e) => props.onChange((e.target as HTMLTextAreaElement).value)}
        />
      )}
    </div>
  );
}
