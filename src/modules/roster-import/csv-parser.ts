// A small streaming CSV parser (RFC 4180 plus the leniency real files need). csv-parse
// was measured at ~50 µs a row on a 15-column GBK roster here (200,000 rows: 10 s of a
// 10 s budget); this one scans each chunk once and slices fields out of it.
//
// - fields may be quoted; "" inside quotes is a quote; quoted fields may span lines and chunks
// - a quote inside an unquoted field is kept as text ("relaxed quotes"); text after a
//   closing quote is appended to the field
// - CRLF, LF and lone CR end a record; records may have any number of fields
// - an empty line is a record with one empty field (so record numbers equal row numbers)

const QUOTE = 34;
const LF = 10;
const CR = 13;

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  /** a quote seen inside a quoted field: either "" or the closing quote */
  QuoteInQuoted,
}

export class CsvParser {
  private state = State.FieldStart;
  private field = '';
  private record: string[] = [];
  /** a CR ended the last chunk: a LF starting the next one belongs to it */
  private skipLf = false;
  private readonly delimiter: number;

  constructor(delimiter = ',') {
    if (delimiter.length !== 1) throw new Error('delimiter must be one character');
    this.delimiter = delimiter.charCodeAt(0);
  }

  /** Parses a chunk; complete records are appended to `out`. */
  push(chunk: string, out: string[][]): void {
    const n = chunk.length;
    const d = this.delimiter;
    let i = 0;
    if (this.skipLf) {
      this.skipLf = false;
      if (n > 0 && chunk.charCodeAt(0) === LF) i = 1;
    }
    let start = i;
    while (i < n) {
      const c = chunk.charCodeAt(i);
      switch (this.state) {
        case State.FieldStart:
          if (c === QUOTE) {
            this.state = State.Quoted;
            start = ++i;
          } else {
            this.state = State.Unquoted;
            start = i;
          }
          break;
        case State.Unquoted:
          if (c === d) {
            this.record.push(this.field + chunk.slice(start, i));
            this.field = '';
            this.state = State.FieldStart;
            start = ++i;
          } else if (c === LF || c === CR) {
            this.record.push(this.field + chunk.slice(start, i));
            this.field = '';
            out.push(this.record);
            this.record = [];
            this.state = State.FieldStart;
            i++;
            if (c === CR) {
              if (i < n) {
                if (chunk.charCodeAt(i) === LF) i++;
              } else this.skipLf = true;
            }
            start = i;
          } else i++;
          break;
        case State.Quoted:
          if (c === QUOTE) {
            this.field += chunk.slice(start, i);
            this.state = State.QuoteInQuoted;
            start = ++i;
          } else i++;
          break;
        case State.QuoteInQuoted:
          if (c === QUOTE) {
            this.field += '"';
            this.state = State.Quoted;
            start = ++i;
          } else {
            // the closing quote; a delimiter or line end follows (anything else is kept as text)
            this.state = State.Unquoted;
            start = i;
          }
          break;
      }
    }
    if (this.state === State.Unquoted || this.state === State.Quoted) this.field += chunk.slice(start, n);
  }

  /** Ends the input; a last record without a line end is appended to `out`. */
  end(out: string[][]): void {
    if (this.state === State.FieldStart && this.record.length === 0) return;
    this.record.push(this.field);
    out.push(this.record);
    this.field = '';
    this.record = [];
    this.state = State.FieldStart;
  }
}

/** Parses a whole string (tests, small inputs). */
export function parseCsvText(text: string, delimiter = ','): string[][] {
  const p = new CsvParser(delimiter);
  const out: string[][] = [];
  p.push(text, out);
  p.end(out);
  return out;
}
