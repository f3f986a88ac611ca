/** A `for` waiting: when it is due, and the state it waits from. */
export interface Pending {
  due: number;
  from: string;
}

/** What the queue orders: a rule's track of one entity, with its current pending `for`. */
export interface Timed {
  pending?: Pending;
}

/**
 * The pending `for`s by due time, earliest first: a binary min-heap. A cancelled or fired
 * pending is not searched for; its entry is dropped when it reaches the top (`pending` no
 * longer the track's own), and the heap is rebuilt when such entries outnumber the live ones.
 */
export class DueQueue<T extends Timed> {
  private heap: { pending: Pending; track: T }[] = [];
  private live = 0;

  get size(): number {
    return this.live;
  }

  add(track: T, pending: Pending): void {
    this.live++;
    this.heap.push({ pending, track });
    this.up(this.heap.length - 1);
  }

  /** Call when a track's pending ends (fired or cancelled). */
  ended(): void {
    this.live--;
    if (this.heap.length > 64 && this.heap.length > 2 * this.live) {
      const kept = this.heap.filter((e) => e.track.pending === e.pending);
      this.heap = [];
      for (const e of kept) {
        this.heap.push(e);
        this.up(this.heap.length - 1);
      }
    }
  }

  /** The earliest live entry, dropping ended ones on the way. */
  peek(): T | undefined {
    for (;;) {
      const top = this.heap[0];
      if (top === undefined || top.track.pending === top.pending) return top?.track;
      this.pop();
    }
  }

  pop(): void {
    const last = this.heap.pop();
    if (last === undefined || this.heap.length === 0) return;
    this.heap[0] = last;
    this.down(0);
  }

  private up(i: number): void {
    const { heap } = this;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.pending.due <= heap[i]!.pending.due) return;
      [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
      i = parent;
    }
  }

  private down(i: number): void {
    const { heap } = this;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < heap.length && heap[left]!.pending.due < heap[least]!.pending.due) least = left;
      if (right < heap.length && heap[right]!.pending.due < heap[least]!.pending.due) least = right;
      if (least === i) return;
      [heap[least], heap[i]] = [heap[i]!, heap[least]!];
      i = least;
    }
  }
}
