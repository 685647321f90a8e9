import { StreamLanguage, type StringStream } from "@codemirror/language";

/**
 * Highlighting for `.msim` scenarios, following the scenario lexer's rules: one command a
 * line, words split by blanks, `#` to the end of the line is a comment. The first word is
 * a command keyword or a process name, the word after a process name is its verb.
 */
export const MSIM_COMMANDS = new Set(["config", "lib", "spawn", "shm", "repeat", "expect", "show", "check"]);

interface LineState {
  word: number;
  processLine: boolean;
}

/** The token class of `word`, the `index`-th word of a line (0-based). */
export function msimWordClass(word: string, index: number, processLine: boolean): string | null {
  if (index === 0) return MSIM_COMMANDS.has(word) ? "keyword" : "variableName";
  if (index === 1 && processLine) return "atom";
  if (/^[+-]?(0x[0-9a-f]+|\d+)[kmg]?$/i.test(word)) return "number";
  if (/^(==|!=|<=|>=|<|>)$/.test(word)) return "operator";
  if (word.includes("=")) return "propertyName";
  if (/^[A-Za-z_][\w.]*[+-]/.test(word)) return "string";
  return null;
}

export const msimLanguage = StreamLanguage.define<LineState>({
  name: "msim",
  startState: () => ({ word: 0, processLine: false }),
  token(stream: StringStream, state: LineState) {
    if (stream.sol()) {
      state.word = 0;
      state.processLine = false;
    }
    if (stream.eatSpace()) return null;
    if (stream.peek() === "#") {
      stream.skipToEnd();
      return "comment";
    }
    const start = stream.pos;
    while (!stream.eol() && !/\s|#/.test(stream.peek() ?? "")) stream.next();
    const word = stream.string.slice(start, stream.pos);
    const index = state.word++;
    if (index === 0) state.processLine = !MSIM_COMMANDS.has(word);
    const eqAt = word.indexOf("=");
    if (index > 0 && eqAt > 0 && !/^(==|!=|<=|>=)$/.test(word)) {
      stream.backUp(word.length - eqAt - 1);
      return "propertyName";
    }
    return msimWordClass(word, index, state.processLine);
  },
  languageData: { commentTokens: { line: "#" } },
});
