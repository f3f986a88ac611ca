/**
 * Path data written byte by byte into one buffer: a chart's line has thousands of points,
 * and a string per point would all be garbage for the bot's main thread to collect (they
 * live until the SVG is joined, long enough to reach V8's old generation).
 */
export class PathData {
  private buf: Buffer;
  private len = 0;
  constructor(points: number) {
    this.buf = Buffer.allocUnsafe(Math.max(64, points * 24));
  }

  /** A command letter (M, H, V, Z) and its numbers, rounded to tenths as the SVG's others. */
  cmd(letter: 'M' | 'H' | 'V' | 'Z', a?: number, b?: number): this {
    this.room(48);
    this.buf[this.len++] = letter.charCodeAt(0);
    if (a !== undefined) this.num(a);
    if (b !== undefined) {
      this.buf[this.len++] = 32; // ' '
      this.num(b);
    }
    return this;
  }

  toString(): string {
    return this.buf.toString('latin1', 0, this.len);
  }

  /** `String(Math.round(n * 10) / 10)` without making that string. */
  private num(n: number) {
    let tenths = Math.round(n * 10);
    if (!Number.isFinite(tenths) || Math.abs(tenths) >= 1e15) {
      this.room(32);
      this.len += this.buf.write(String(tenths / 10), this.len, 'latin1');
      return;
    }
    if (tenths < 0) {
      this.buf[this.len++] = 45; // '-'
      tenths = -tenths;
    }
    const whole = Math.floor(tenths / 10);
    const tenth = tenths % 10;
    let digits = 1;
    for (let p = 10; p <= whole; p *= 10) digits++;
    let rest = whole;
    for (let at = this.len + digits - 1; at >= this.len; at--) {
      this.buf[at] = 48 + (rest % 10);
      rest = Math.floor(rest / 10);
    }
    this.len += digits;
    if (tenth !== 0) {
      this.buf[this.len++] = 46; // '.'
      this.buf[this.len++] = 48 + tenth;
    }
  }

  private room(bytes: number) {
    if (this.len + bytes <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + bytes));
    this.buf.copy(bigger, 0, 0, this.len);
    this.buf = bigger;
  }
}
