import type { Msg } from '@gridflow/runtime';

/**
 * Windowing per key, free of timers and node plumbing so it can be tested alone. Time windows are
 * aligned to the epoch: starts are multiples of `slide`, each `size` long (tumbling: slide = size).
 * A window fires once the watermark reaches its end; in event time the watermark is the key's
 * latest event time minus the allowed lateness, in arrival time it is the clock.
 */
export interface TimeWindowSpec {
  size: number;
  slide: number;
  /** Emit count-0 windows for a key that has gone quiet, at most `maxEmpty` in a row. */
  emitEmpty: boolean;
  maxEmpty: number;
}

export interface WindowEmit {
  key: string;
  start: number;
  end: number;
  msgs: Msg[];
}

export interface TimeKeyState {
  key: string;
  /** Buffered messages ordered by time; entries before `head` are already dropped. */
  times: number[];
  msgs: Msg[];
  head: number;
  maxTime: number;
  /** End of the last window fired; -Infinity before the first. */
  firedUpTo: number;
  empties: number;
  lastArrival: number;
}

export function newTimeKeyState(key: string): TimeKeyState {
  return { key, times: [], msgs: [], head: 0, maxTime: -Infinity, firedUpTo: -Infinity, empties: 0, lastArrival: 0 };
}

export interface TimeWindows {
  /** Buffers a message; false when it is late (every window that could hold it has fired). */
  add(st: TimeKeyState, time: number, msg: Msg): boolean;
  /** Fires every window of the key that ends at or before `watermark`, oldest first. */
  fire(st: TimeKeyState, watermark: number, emit: (w: WindowEmit) => void): void;
  /** The first window end after `now`, over all keys (time windows are aligned). */
  nextBoundary(now: number): number;
  /** True when the key holds nothing and will emit nothing more by itself. */
  isIdle(st: TimeKeyState): boolean;
}

export function createTimeWindows(spec: TimeWindowSpec): TimeWindows {
  const { size, slide, emitEmpty, maxEmpty } = spec;
  const tumbling = slide === size;
  /** Earliest end of a window holding `t`. */
  const firstEnd = (t: number) => (Math.floor((t - size) / slide) + 1) * slide + size;
  /** Latest end of a window holding `t`. */
  const lastEnd = (t: number) => Math.floor(t / slide) * slide + size;

  const compact = (st: TimeKeyState) => {
    if (st.head > 64 && st.head * 2 > st.times.length) {
      st.times = st.times.slice(st.head);
      st.msgs = st.msgs.slice(st.head);
      st.head = 0;
    }
  };

  const take = (st: TimeKeyState, end: number): Msg[] => {
    const times = st.times;
    const n = times.length;
    if (tumbling && st.head === 0 && (n === 0 || (times[n - 1] as number) < end)) {
      // The whole buffer is this window: hand the array over instead of copying it.
      const out = st.msgs;
      st.times = [];
      st.msgs = [];
      return out;
    }
    let j = st.head;
    while (j < n && (times[j] as number) < end) j++;
    const out = st.msgs.slice(st.head, j);
    if (tumbling) st.head = j;
    return out;
  };

  return {
    add(st, time, msg) {
      if (lastEnd(time) <= st.firedUpTo) return false;
      if (time > st.maxTime) st.maxTime = time;
      const times = st.times;
      const n = times.length;
      if (n === st.head || (times[n - 1] as number) <= time) {
        times.push(time);
        st.msgs.push(msg);
      } else {
        let j = n - 1;
        while (j > st.head && (times[j - 1] as number) > time) j--;
        times.splice(j, 0, time);
        st.msgs.splice(j, 0, msg);
      }
      return true;
    },

    fire(st, watermark, emit) {
      if (watermark < st.firedUpTo + slide) return;
      for (;;) {
        const empty = st.head === st.times.length;
        const candidate = st.firedUpTo + slide;
        const dataEnd = empty ? Infinity : firstEnd(st.times[st.head] as number);
        if (candidate < dataEnd) {
          // The next window holds nothing.
          if (emitEmpty && st.firedUpTo !== -Infinity && st.empties < maxEmpty && candidate <= watermark) {
            st.firedUpTo = candidate;
            st.empties++;
            emit({ key: st.key, start: candidate - size, end: candidate, msgs: [] });
            continue;
          }
          if (empty) return;
        }
        const end = Math.max(candidate, dataEnd);
        if (end > watermark) return;
        const msgs = take(st, end);
        st.firedUpTo = end;
        st.empties = 0;
        if (!tumbling) {
          const keepFrom = end + slide - size;
          while (st.head < st.times.length && (st.times[st.head] as number) < keepFrom) st.head++;
        }
        compact(st);
        emit({ key: st.key, start: end - size, end, msgs });
      }
    },

    nextBoundary(now) {
      // Ends are k * slide + size; the first one strictly after now.
      return Math.floor((now - size) / slide + 1) * slide + size;
    },

    isIdle(st) {
      return st.head === st.times.length && (!emitEmpty || st.empties >= maxEmpty || st.firedUpTo === -Infinity);
    },
  };
}

/** Count windows: every `slide` messages, the last `size` of them (tumbling: slide = size). */
export interface CountKeyState {
  key: string;
  msgs: Msg[];
  times: number[];
  /** Ring position for sliding windows. */
  next: number;
  held: number;
  sinceEmit: number;
}

export function newCountKeyState(key: string): CountKeyState {
  return { key, msgs: [], times: [], next: 0, held: 0, sinceEmit: 0 };
}

export function createCountWindows(size: number, slide: number) {
  const tumbling = slide === size;
  return {
    add(st: CountKeyState, time: number, msg: Msg, emit: (w: WindowEmit) => void): void {
      if (tumbling) {
        st.msgs.push(msg);
        st.times.push(time);
        if (st.msgs.length === size) {
          const msgs = st.msgs;
          const start = st.times[0] as number;
          st.msgs = [];
          st.times = [];
          emit({ key: st.key, start, end: time, msgs });
        }
        return;
      }
      st.msgs[st.next] = msg;
      st.times[st.next] = time;
      st.next = (st.next + 1) % size;
      if (st.held < size) st.held++;
      if (++st.sinceEmit < slide) return;
      st.sinceEmit = 0;
      // Oldest first: the ring starts at `next` once full, at 0 before.
      const first = st.held === size ? st.next : 0;
      const msgs = new Array<Msg>(st.held);
      for (let i = 0; i < st.held; i++) msgs[i] = st.msgs[(first + i) % size] as Msg;
      emit({ key: st.key, start: st.times[first] as number, end: time, msgs });
    },
  };
}
