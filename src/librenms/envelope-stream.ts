/**
 * Reads a LibreNMS JSON envelope (`{"status":"ok","ports":[{…},{…}],"count":2}`) as it arrives and
 * hands over the items of one list one at a time, so a 100 MB `/ports` answer is never held as one
 * string nor as one array of objects.
 *
 * It only finds where each value starts and ends (strings, nesting); every value itself, each list
 * item included, is parsed by the engine's own `JSON.parse`, so what is accepted and what it means
 * is exactly what `JSON.parse` of the whole body would give. LibreNMS writes its answers with
 * `response()->json(..., JSON_PRETTY_PRINT)` (`includes/html/api_functions.inc.php`, `api_success`):
 * whitespace between tokens is skipped.
 */

/** The body is not JSON, or not the JSON `JSON.parse` would accept. */
export class EnvelopeSyntaxError extends Error {}

enum State {
  Start,
  KeyOrEnd,
  KeyAfterComma,
  Key,
  Colon,
  ListOrValue,
  Value,
  AfterValue,
  ItemOrEnd,
  Item,
  AfterItem,
  Done,
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** How many characters of the start of the body are kept for an error message (a PHP error page's title). */
const HEAD_CHARS = 64 * 1024;

export class EnvelopeStream {
  readonly #listKey: string;
  readonly #onItem: (item: unknown) => void;
  readonly #envelope: Record<string, unknown> = {};
  #buf = '';
  #pos = 0;
  #state = State.Start;
  #key = '';
  #listSeen = false;
  #items = 0;
  #chars = 0;
  #head = '';
  /** The top-level value is not an object (valid JSON, but no envelope). */
  #topLevel = false;
  #notObject = false;
  // The composite value being scanned: where it starts, how far it was scanned, how deep it is there.
  #valueStart = -1;
  #scanPos = 0;
  #depth = 0;
  /**
   * Where each {@link STRUCTURAL} character next occurs in the buffer at or after where it was last
   * searched from, -1 when it does not occur, {@link UNKNOWN} when not searched since the buffer
   * changed: each character is searched for once per occurrence, not once per item.
   */
  readonly #next = new Int32Array(STRUCTURAL.length).fill(UNKNOWN);

  /** @param onItem called with each item of the list under `listKey`, in order */
  constructor(listKey: string, onItem: (item: unknown) => void) {
    this.#listKey = listKey;
    this.#onItem = onItem;
  }

  /** Characters read so far. */
  get length(): number {
    return this.#chars;
  }

  /** The first 64 Ki characters read, for an error message. */
  get head(): string {
    return this.#head;
  }

  /** Items handed over so far. */
  get items(): number {
    return this.#items;
  }

  /**
   * Reads the next piece of the body.
   * @throws {EnvelopeSyntaxError} as soon as the body cannot be the envelope
   */
  push(text: string): void {
    if (text === '') return;
    this.#chars += text.length;
    if (this.#head.length < HEAD_CHARS) this.#head += text.slice(0, HEAD_CHARS - this.#head.length);
    // Keep only what is not read yet (at most the value being scanned).
    const keepFrom = this.#valueStart >= 0 ? this.#valueStart : this.#pos;
    this.#buf = keepFrom === 0 ? this.#buf + text : this.#buf.slice(keepFrom) + text;
    this.#pos -= keepFrom;
    const next = this.#next;
    // Found positions move with the kept text; where nothing was found, the new text may have one.
    for (let k = 0; k < next.length; k++) next[k] = (next[k] as number) >= keepFrom ? (next[k] as number) - keepFrom : UNKNOWN;
    if (this.#valueStart >= 0) {
      this.#valueStart -= keepFrom;
      this.#scanPos -= keepFrom;
    }
    this.#run(false);
  }

  /**
   * Ends the body; returns the envelope without the list, and whether the list was there.
   * @throws {EnvelopeSyntaxError}
   */
  end(): { envelope: Record<string, unknown>; listSeen: boolean } {
    this.#run(true);
    for (let i = this.#pos; i < this.#buf.length; i++) {
      if (!isSpace(this.#buf.charCodeAt(i))) throw new EnvelopeSyntaxError('data after the JSON value');
    }
    if (this.#state !== State.Done) throw new EnvelopeSyntaxError('the body ends inside the JSON value');
    this.#buf = '';
    return { envelope: this.#envelope, listSeen: this.#listSeen };
  }

  #skipSpace(): number {
    const buf = this.#buf;
    let i = this.#pos;
    while (i < buf.length && isSpace(buf.charCodeAt(i))) i++;
    this.#pos = i;
    return i < buf.length ? buf.charCodeAt(i) : -1;
  }

  #run(final: boolean): void {
    for (;;) {
      if (this.#state === State.Done) return;
      if (this.#state === State.Value || this.#state === State.Item || this.#state === State.Key) {
        const value = this.#value(final);
        if (value === NEED_MORE) return;
        this.#took(value);
        continue;
      }
      const c = this.#skipSpace();
      if (c === -1) return;
      switch (this.#state) {
        case State.Start:
          if (c !== OPEN_BRACE) {
            // Any other JSON value is valid JSON but not an envelope; anything else is not JSON.
            this.#state = State.Value;
            this.#key = '';
            this.#topLevel = true;
            continue;
          }
          this.#pos++;
          this.#state = State.KeyOrEnd;
          break;
        case State.KeyOrEnd:
          if (c === CLOSE_BRACE) {
            this.#pos++;
            this.#state = State.Done;
            break;
          }
          if (c !== QUOTE) throw new EnvelopeSyntaxError('expected a key');
          this.#state = State.Key;
          break;
        case State.Colon:
          if (c !== COLON) throw new EnvelopeSyntaxError('expected ":"');
          this.#pos++;
          this.#state = this.#key === this.#listKey ? State.ListOrValue : State.Value;
          break;
        case State.ListOrValue:
          if (c === OPEN_BRACKET) {
            this.#pos++;
            this.#listSeen = true;
            this.#state = State.ItemOrEnd;
          } else {
            this.#state = State.Value;
          }
          break;
        case State.AfterValue:
          this.#pos++;
          if (c === COMMA) this.#state = State.KeyAfterComma;
          else if (c === CLOSE_BRACE) this.#state = State.Done;
          else throw new EnvelopeSyntaxError('expected "," or "}"');
          break;
        case State.KeyAfterComma:
          if (c !== QUOTE) throw new EnvelopeSyntaxError('expected a key');
          this.#state = State.Key;
          break;
        case State.ItemOrEnd:
          if (c === CLOSE_BRACKET) {
            this.#pos++;
            this.#state = State.AfterValue;
          } else {
            this.#state = State.Item;
          }
          break;
        case State.AfterItem:
          this.#pos++;
          if (c === COMMA) this.#state = State.Item;
          else if (c === CLOSE_BRACKET) this.#state = State.AfterValue;
          else throw new EnvelopeSyntaxError('expected "," or "]"');
          break;
        default:
          throw new EnvelopeSyntaxError('unexpected state');
      }
    }
  }

  /** A value has been read in the current state. */
  #took(value: unknown): void {
    switch (this.#state) {
      case State.Key:
        if (typeof value !== 'string') throw new EnvelopeSyntaxError('expected a key');
        this.#key = value;
        this.#state = State.Colon;
        return;
      case State.Item:
        this.#items++;
        this.#onItem(value);
        this.#state = State.AfterItem;
        return;
      default:
        if (this.#topLevel) {
          // Valid JSON that is not an object: the caller says so once the whole body is read.
          this.#state = State.Done;
          this.#notObject = true;
          return;
        }
        // JSON.parse keeps the last of duplicate keys; so does this.
        if (this.#key === this.#listKey) this.#listSeen = false;
        Object.defineProperty(this.#envelope, this.#key, { value, enumerable: true, writable: true, configurable: true });
        this.#state = State.AfterValue;
    }
  }

  /** Whether the body was valid JSON but not an object (checked after {@link end}). */
  get notObject(): boolean {
    return this.#notObject;
  }

  /** Reads the value starting at `pos` (after whitespace); NEED_MORE when the buffer ends inside it. */
  #value(final: boolean): unknown {
    const buf = this.#buf;
    if (this.#valueStart < 0) {
      const c = this.#skipSpace();
      if (c === -1) return NEED_MORE;
      this.#valueStart = this.#pos;
      this.#scanPos = this.#pos;
      this.#depth = 0;
    }
    const start = this.#valueStart;
    const first = buf.charCodeAt(start);
    let end: number;
    if (first === QUOTE) {
      end = stringEnd(buf, start);
      if (end < 0) return NEED_MORE;
    } else if (first === OPEN_BRACE || first === OPEN_BRACKET) {
      let i = this.#scanPos;
      let depth = this.#depth;
      const next = this.#next;
      end = -1;
      // From structural character to structural character: the engine's indexOf skips what lies
      // between (whitespace, numbers, literals) far faster than a loop over every character.
      for (;;) {
        let at = -1;
        let kind = -1;
        for (let k = 0; k < STRUCTURAL.length; k++) {
          let p = next[k] as number;
          if (p === UNKNOWN || (p >= 0 && p < i)) {
            p = buf.indexOf(STRUCTURAL[k] as string, i);
            next[k] = p;
          }
          if (p >= 0 && (at < 0 || p < at)) {
            at = p;
            kind = k;
          }
        }
        if (at < 0) {
          i = buf.length;
          break;
        }
        if (kind === QUOTE_KIND) {
          const close = stringEnd(buf, at);
          if (close < 0) {
            i = at;
            break;
          }
          i = close;
          continue;
        }
        i = at + 1;
        if (kind === OPEN_BRACE_KIND || kind === OPEN_BRACKET_KIND) depth++;
        else if (--depth === 0) {
          end = i;
          break;
        }
      }
      if (end < 0) {
        this.#scanPos = i;
        this.#depth = depth;
        return NEED_MORE;
      }
    } else {
      // A number or a literal: up to the next delimiter.
      let i = start;
      while (i < buf.length) {
        const c = buf.charCodeAt(i);
        if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isSpace(c)) break;
        i++;
      }
      if (i === buf.length && !final) return NEED_MORE;
      end = i;
      if (end === start) throw new EnvelopeSyntaxError('expected a value');
    }
    this.#valueStart = -1;
    this.#pos = end;
    try {
      return JSON.parse(buf.slice(start, end));
    } catch {
      throw new EnvelopeSyntaxError('not JSON');
    }
  }
}

const NEED_MORE: unique symbol = Symbol('need more');

/** The characters that delimit composite values, in the order of {@link EnvelopeStream}'s `#next`. */
const STRUCTURAL = ['"', '{', '[', '}', ']'] as const;
const QUOTE_KIND = 0;
const OPEN_BRACE_KIND = 1;
const OPEN_BRACKET_KIND = 2;
/** A `#next` entry that has to be searched again (-1 means: not in the buffer). */
const UNKNOWN = -2;

/** Index after the closing quote of the string opening at `start`, or -1 when the buffer ends first. */
function stringEnd(buf: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const close = buf.indexOf('"', i);
    if (close < 0) return -1;
    let backslashes = 0;
    for (let j = close - 1; j > start && buf.charCodeAt(j) === BACKSLASH; j--) backslashes++;
    if (backslashes % 2 === 0) return close + 1;
    i = close + 1;
  }
}
