/** An element of a JSON document, or why one could not be read; `line` is where it starts (1-based). */
export type JsonEvent = { value: unknown; line: number } | { error: string; line: number };

/**
 * Splits a JSON document into the elements of its top-level array as text arrives, so that a
 * file of any size is read with one element in memory at a time. A document that is not an
 * array (one object) comes out whole as one element at the end.
 */
export function createJsonArrayStream() {
  let started = false;
  let isArray = false;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let element = '';
  let elementLine = 1;
  let line = 1;
  let done = false;

  function finish(out: JsonEvent[]): void {
    const text = element.trim();
    element = '';
    if (!text) return;
    try {
      out.push({ value: JSON.parse(text) as unknown, line: elementLine });
    } catch (err) {
      out.push({ error: `invalid JSON element: ${(err as Error).message}`, line: elementLine });
    }
  }

  return {
    push(chunk: string): JsonEvent[] {
      const out: JsonEvent[] = [];
      for (let i = 0; i < chunk.length; i++) {
        const ch = chunk[i] as string;
        if (ch === '\n') line++;
        if (done) continue;
        if (!started) {
          if (/\s/.test(ch)) continue;
          started = true;
          isArray = ch === '[';
          if (isArray) {
            depth = 1;
            elementLine = line;
            continue;
          }
          elementLine = line;
        }
        if (!isArray) {
          element += ch;
          continue;
        }
        if (inString) {
          element += ch;
          if (escaped) escaped = false;
          else if (ch === '\\') escaped = true;
          else if (ch === '"') inString = false;
          continue;
        }
        if (ch === '"') inString = true;
        else if (ch === '[' || ch === '{') depth++;
        else if (ch === ']' || ch === '}') depth--;
        if (depth === 0) {
          // The closing bracket of the top-level array.
          finish(out);
          done = true;
          continue;
        }
        if (depth === 1 && ch === ',') {
          finish(out);
          elementLine = line;
          continue;
        }
        if (!element.trim()) elementLine = line;
        element += ch;
      }
      return out;
    },
    end(): JsonEvent[] {
      const out: JsonEvent[] = [];
      if (!isArray) finish(out);
      else if (!done) out.push({ error: 'the JSON array is never closed (the file is cut short?)', line });
      return out;
    },
  };
}

/** JSON lines: one JSON value per line; blank lines are skipped. */
export function createJsonLinesStream() {
  let rest = '';
  let line = 0;
  const parse = (text: string, out: JsonEvent[]) => {
    line++;
    if (!text.trim()) return;
    try {
      out.push({ value: JSON.parse(text) as unknown, line });
    } catch (err) {
      out.push({ error: `invalid JSON: ${(err as Error).message}`, line });
    }
  };
  return {
    push(chunk: string): JsonEvent[] {
      const out: JsonEvent[] = [];
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) parse(l, out);
      return out;
    },
    end(): JsonEvent[] {
      const out: JsonEvent[] = [];
      if (rest) parse(rest, out);
      rest = '';
      return out;
    },
  };
}
