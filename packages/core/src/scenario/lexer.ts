/**
 * Tokens of the `.msim` scenario language: one command a line, words separated by
 * blanks, `#` starts a comment. Each token remembers its 1-based column for messages.
 */

/** One word of a line and where it starts. */
export interface Token {
  readonly text: string;
  /** 1-based column of the first character. */
  readonly col: number;
}

/** One non-empty line: its 1-based number and its words (comment stripped). */
export interface SourceLine {
  readonly line: number;
  readonly tokens: readonly Token[];
}

/** Splits a scenario into lines of tokens, dropping blank and comment-only lines. */
export function tokenize(source: string): SourceLine[] {
  const out: SourceLine[] = [];
  const lines = source.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const tokens = tokenizeLine(lines[i] as string);
    if (tokens.length > 0) out.push({ line: i + 1, tokens });
  }
  return out;
}

/** The words of one line, up to a `#`. */
export function tokenizeLine(text: string): Token[] {
  const hash = text.indexOf("#");
  const body = hash >= 0 ? text.slice(0, hash) : text;
  const tokens: Token[] = [];
  const re = /\S+/g;
  for (let m = re.exec(body); m !== null; m = re.exec(body)) tokens.push({ text: m[0], col: m.index + 1 });
  return tokens;
}
