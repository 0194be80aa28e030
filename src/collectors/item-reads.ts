/**
 * Reads spread over refreshes, for the collectors that cost LibreNMS one request per device or per
 * item (health, wireless). What to read is a small tree per device: a list names the next requests
 * (the ids of a device's processors), a values request gives what is exported. Each request is sent
 * again once its answer is an interval old (a list after the longer list interval, as LibreNMS finds
 * new items only at discovery), at most `maxRequests` per refresh, oldest answer first; within equal
 * age a device's newly listed items come before other devices' lists, so a cold start completes
 * devices one by one instead of listing them all first. What a refresh does not read is served from
 * its last answer while that is at most `graceMs` past its interval; then it is counted as unread.
 *
 * One `ItemReads` is kept per LibreNMS (CollectorInput.memory) and shared by every scope: a request
 * already in flight for another scope is not sent twice.
 */
import { LibreNmsError } from '../errors.js';
import type { DeviceRecord } from '../mapping/devices.js';
import type { CollectorInput } from './collector.js';

/** One request of a device's tree. */
export interface ReadStep<P> {
  /** Unique within the device, stable across refreshes (e.g. `processor` or `processor/101`). */
  readonly key: string;
  /** A list names the next requests; values are exported. */
  readonly kind: 'list' | 'values';
  /** What the plan needs to send it. */
  readonly payload: P;
}

/** What one request gave. */
export type StepAnswer<P, R> =
  /** A list: the requests it names (in order). */
  | { readonly next: readonly ReadStep<P>[] }
  /** Values: the records to export (none: nothing to export, asked again after the list interval). */
  | { readonly records: readonly R[] }
  /** Nothing to serve and nothing to ask again until the list that named it is read again: gone, deleted, or refused by a guard. */
  | { readonly skip: string };

/** How a collector's tree is built and read. */
export interface ReadPlan<P, R> {
  /** The first requests of a device (the same for every refresh). */
  roots(device: DeviceRecord): readonly ReadStep<P>[];
  /** Sends one request. Throws when it failed. */
  read(device: DeviceRecord, step: ReadStep<P>): Promise<StepAnswer<P, R>>;
}

/** The settings of one run. */
export interface ItemReadOptions {
  readonly devices: readonly DeviceRecord[];
  /** The refresh's time (ms). */
  readonly now: number;
  /** A values request is sent again once its answer is this old (ms). */
  readonly intervalMs: number;
  /** A list (and a values request that gave nothing) is sent again once its answer is this old (ms). */
  readonly listIntervalMs: number;
  /** How long past its interval an answer is still served (ms): CACHE_MAX_AGE_SECONDS. */
  readonly graceMs: number;
  /** Most requests in this run. */
  readonly maxRequests: number;
  /** Requests in flight at once; also how many unreachable answers in a row end the run. */
  readonly concurrency: number;
  /** No request starts once this says so (the run's time limit). */
  readonly stop?: () => boolean;
}

/** What one run read and serves. */
export interface ItemRead<R> {
  /** The records served per selected device, in selection order (devices with none left out). */
  readonly served: readonly { readonly device: DeviceRecord; readonly records: readonly R[] }[];
  /** Requests sent in this run. */
  readonly requests: number;
  /** The requests that failed in this run (their last answers, if any, were served). */
  readonly errors: readonly Error[];
  /** Values answers served although older than their interval (the request budget, a failure). */
  readonly staleItems: number;
  /** Listed values never answered, or whose answer is past its interval plus the grace: nothing served. */
  readonly unreadItems: number;
  /** Selected devices with a list never answered, or answered too long ago: their items are not known. */
  readonly unlistedDevices: number;
  /** Selected devices with at least one stale item. */
  readonly staleDevices: number;
  /** Selected devices with an unread item or an unanswered list. */
  readonly unreadDevices: number;
  /** Skip answers of this run by reason (see {@link StepAnswer}). */
  readonly skipped: Readonly<Record<string, number>>;
  /** Requests due but not sent in this run (the budget, the time limit, LibreNMS unreachable): they come first next time. */
  readonly deferred: number;
}

interface Node<P, R> {
  readonly step: ReadStep<P>;
  readonly depth: number;
  /** Order of creation within its device: the tie-break that keeps LibreNMS's list order. */
  readonly seq: number;
  /** When the last answer came (ms); -Infinity before the first. */
  at: number;
  failed: boolean;
  skipped: boolean;
  children: string[] | undefined;
  records: readonly R[] | undefined;
}

interface Tree<P, R> {
  readonly nodes: Map<string, Node<P, R>>;
  readonly roots: string[];
  seq: number;
}

interface Due<P, R> {
  readonly device: DeviceRecord;
  readonly tree: Tree<P, R>;
  readonly node: Node<P, R>;
  readonly order: number;
}

/** A failure that says LibreNMS cannot be reached at all, rather than that one request failed. */
function unreachable(error: unknown): boolean {
  return error instanceof LibreNmsError && (error.code === 'timeout' || error.code === 'connection_failed' || error.code === 'tls_error');
}

/** What one collector remembers of one LibreNMS between refreshes. */
export class ItemReads<P, R> {
  readonly #plan: ReadPlan<P, R>;
  readonly #trees = new Map<number, Tree<P, R>>();
  /** `deviceId/key` of the requests in flight, whatever run sent them. */
  readonly #inFlight = new Set<string>();
  /** Whether LibreNMS has answered any request yet. */
  #answeredOnce = false;

  constructor(plan: ReadPlan<P, R>) {
    this.#plan = plan;
  }

  /**
   * Reads what is due for `devices` within the budget, then serves every device from its answers.
   * @throws the first error when no request has ever been answered and this run's failed
   */
  async read(options: ItemReadOptions): Promise<ItemRead<R>> {
    const { devices } = options;
    this.#prune(options);
    const heap = new Heap<Due<P, R>>(earlier);
    for (const [order, device] of devices.entries()) {
      const tree = this.#tree(device);
      this.#walk(tree, (node) => {
        if (this.#due(device, node, options)) heap.push({ device, tree, node, order });
      });
    }

    const errors: Error[] = [];
    let requests = 0;
    let answered = 0;
    const skipped: Record<string, number> = {};
    let settled = 0;
    let unreachableInRow = 0;
    const more = (): boolean =>
      heap.size > 0 && requests < options.maxRequests && !(settled >= options.concurrency && unreachableInRow >= options.concurrency) && !options.stop?.();
    /** The nodes this run has sent (a node can be queued twice: due before, and named again by its list). */
    const sent = new Set<Node<P, R>>();
    const sendable = ({ device, tree, node }: Due<P, R>): boolean =>
      !sent.has(node) && this.#trees.get(device.deviceId) === tree && tree.nodes.get(node.step.key) === node && this.#due(device, node, options);
    const worker = async (): Promise<void> => {
      while (more()) {
        const due = heap.pop() as Due<P, R>;
        // Already sent, dropped by a newer list or by another scope's run, or taken by that run since it was queued.
        if (!sendable(due)) continue;
        const { device, tree, node } = due;
        const flight = `${device.deviceId}/${node.step.key}`;
        sent.add(node);
        this.#inFlight.add(flight);
        requests++;
        try {
          const answer = await this.#plan.read(device, node.step);
          answered++;
          unreachableInRow = 0;
          if ('skip' in answer) skipped[answer.skip] = (skipped[answer.skip] ?? 0) + 1;
          for (const child of this.#apply(tree, node, answer, options.now)) {
            if (this.#due(device, child, options)) heap.push({ device, tree, node: child, order: due.order });
          }
        } catch (error) {
          node.failed = true;
          errors.push(error instanceof Error ? error : new Error(String(error)));
          unreachableInRow = unreachable(error) ? unreachableInRow + 1 : 0;
        } finally {
          this.#inFlight.delete(flight);
          settled++;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
    let deferred = 0;
    for (let due = heap.pop(); due !== undefined; due = heap.pop()) if (sendable(due)) deferred++;

    if (answered > 0) this.#answeredOnce = true;
    // Nothing was ever read (a token refused from the start, LibreNMS down since the start): a failure.
    // Once something was, answers too old to serve are counted unread and the failures are partial.
    if (requests > 0 && !this.#answeredOnce && errors.length > 0) throw errors[0];
    return { ...this.#serve(options), requests, errors, skipped, deferred };
  }

  #tree(device: DeviceRecord): Tree<P, R> {
    let tree = this.#trees.get(device.deviceId);
    if (tree === undefined) {
      tree = { nodes: new Map(), roots: [], seq: 0 };
      for (const step of this.#plan.roots(device)) {
        tree.roots.push(step.key);
        tree.nodes.set(step.key, newNode(step, 0, tree.seq++));
      }
      this.#trees.set(device.deviceId, tree);
    }
    return tree;
  }

  /** Visits every node reachable from the roots, depth first, in list order. */
  #walk(tree: Tree<P, R>, visit: (node: Node<P, R>) => void): void {
    const go = (key: string): void => {
      const node = tree.nodes.get(key);
      if (node === undefined) return;
      visit(node);
      for (const child of node.children ?? []) go(child);
    };
    for (const root of tree.roots) go(root);
  }

  /** How long an answer of `node` counts as fresh (ms). */
  #interval(node: Node<P, R>, options: ItemReadOptions): number {
    return node.step.kind === 'list' || node.records?.length === 0 ? options.listIntervalMs : options.intervalMs;
  }

  #due(device: DeviceRecord, node: Node<P, R>, options: ItemReadOptions): boolean {
    if (node.skipped || this.#inFlight.has(`${device.deviceId}/${node.step.key}`)) return false;
    return node.at === Number.NEGATIVE_INFINITY || node.failed || options.now - node.at >= this.#interval(node, options);
  }

  /** Stores an answer; returns the nodes a list answer added or brought back. */
  #apply(tree: Tree<P, R>, node: Node<P, R>, answer: StepAnswer<P, R>, now: number): Node<P, R>[] {
    node.at = now;
    node.failed = false;
    if ('skip' in answer) {
      node.skipped = true;
      node.records = undefined;
      return [];
    }
    node.skipped = false;
    if ('records' in answer) {
      node.records = answer.records;
      return [];
    }
    const keys: string[] = [];
    const added: Node<P, R>[] = [];
    for (const step of answer.next) {
      if (keys.includes(step.key)) continue;
      keys.push(step.key);
      let child = tree.nodes.get(step.key);
      if (child === undefined) {
        child = newNode(step, node.depth + 1, tree.seq++);
        tree.nodes.set(step.key, child);
      } else {
        // Listed again: an item skipped before (gone, deleted, refused) is asked once more.
        child.skipped = false;
      }
      added.push(child);
    }
    for (const old of node.children ?? []) if (!keys.includes(old)) this.#drop(tree, old);
    node.children = keys;
    return added;
  }

  #drop(tree: Tree<P, R>, key: string): void {
    const node = tree.nodes.get(key);
    if (node === undefined) return;
    tree.nodes.delete(key);
    for (const child of node.children ?? []) this.#drop(tree, child);
  }

  /**
   * Forgets what is too old to serve: a list's items once the list is past its interval plus the grace
   * (they may no longer exist), and a device whose every first request is that old (a device no scope
   * selects any more, or one never answered; a selected one is set up again).
   */
  #prune(options: ItemReadOptions): void {
    const limit = options.listIntervalMs + options.graceMs;
    for (const [deviceId, tree] of this.#trees) {
      let fresh = false;
      for (const root of tree.roots) {
        const node = tree.nodes.get(root);
        if (node !== undefined && options.now - node.at <= limit) fresh = true;
      }
      const busy = [...tree.nodes.keys()].some((key) => this.#inFlight.has(`${deviceId}/${key}`));
      if (!fresh && !busy) {
        this.#trees.delete(deviceId);
        continue;
      }
      for (const node of [...tree.nodes.values()]) {
        if (node.step.kind === 'list' && node.children !== undefined && options.now - node.at > limit) {
          for (const child of node.children) this.#drop(tree, child);
          node.children = undefined;
        }
      }
    }
  }

  #serve(options: ItemReadOptions): Omit<ItemRead<R>, 'requests' | 'errors' | 'skipped' | 'deferred'> {
    const served: { device: DeviceRecord; records: R[] }[] = [];
    let staleItems = 0;
    let unreadItems = 0;
    let unlistedDevices = 0;
    let staleDevices = 0;
    let unreadDevices = 0;
    for (const device of options.devices) {
      const tree = this.#trees.get(device.deviceId);
      if (tree === undefined) continue;
      const records: R[] = [];
      let stale = false;
      let unread = false;
      let unlisted = false;
      this.#walk(tree, (node) => {
        if (node.step.kind === 'list') {
          if (node.children === undefined) unlisted = true;
          return;
        }
        if (node.skipped) return;
        const age = options.now - node.at;
        const interval = this.#interval(node, options);
        if (node.records === undefined || node.at === Number.NEGATIVE_INFINITY || age > interval + options.graceMs) {
          unread = true;
          unreadItems++;
          return;
        }
        if (age > interval) {
          stale = true;
          staleItems++;
        }
        records.push(...node.records);
      });
      if (records.length > 0) served.push({ device, records });
      if (stale) staleDevices++;
      if (unlisted) unlistedDevices++;
      if (unread || unlisted) unreadDevices++;
    }
    return { served, staleItems, unreadItems, unlistedDevices, staleDevices, unreadDevices };
  }
}

/**
 * How long a run of a spread-read collector may go on starting requests (ms): half the cache TTL, at
 * least 5 s. The refresh waits for every collector, so a slow LibreNMS must not make one collector
 * hold back the next refresh of all the others; what is left is read first next time.
 */
export function runTimeLimitMs(cacheTtlMs: number): number {
  return Math.max(5000, cacheTtlMs / 2);
}

/** A collector's own interval and budget (HEALTH_* or WIRELESS_* settings). */
export interface SpreadSettings {
  readonly intervalMs: number;
  /** Lists are read again every this many intervals. */
  readonly listsEvery: number;
  readonly maxRequests: number;
}

/**
 * The options of one run of a collector: the refresh's devices, the collector's interval and budget,
 * CACHE_MAX_AGE_SECONDS as the grace, CONCURRENCY, and the time limit from `started` (ms).
 */
export function runOptions(input: Pick<CollectorInput, 'selection' | 'config' | 'now'>, started: number, own: SpreadSettings): ItemReadOptions {
  const limitMs = runTimeLimitMs(input.config.cacheTtlMs);
  return {
    devices: input.selection.devices,
    now: started,
    intervalMs: own.intervalMs,
    listIntervalMs: own.listsEvery * own.intervalMs,
    graceMs: input.config.cacheMaxAgeMs,
    maxRequests: own.maxRequests,
    concurrency: input.config.concurrency,
    stop: () => input.now() - started >= limitMs,
  };
}

function newNode<P, R>(step: ReadStep<P>, depth: number, seq: number): Node<P, R> {
  return { step, depth, seq, at: Number.NEGATIVE_INFINITY, failed: false, skipped: false, children: undefined, records: undefined };
}

/** Which due request goes first: the oldest answer, then the deepest (a device's new items), then selection and list order. */
function earlier<P, R>(a: Due<P, R>, b: Due<P, R>): boolean {
  if (a.node.at !== b.node.at) return a.node.at < b.node.at;
  if (a.node.depth !== b.node.depth) return a.node.depth > b.node.depth;
  if (a.order !== b.order) return a.order < b.order;
  return a.node.seq < b.node.seq;
}

/** A binary heap: the item for which `before` holds against every other comes out first. */
class Heap<T> {
  readonly #items: T[] = [];
  readonly #before: (a: T, b: T) => boolean;

  constructor(before: (a: T, b: T) => boolean) {
    this.#before = before;
  }

  get size(): number {
    return this.#items.length;
  }

  push(item: T): void {
    const items = this.#items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#before(items[i] as T, items[parent] as T)) break;
      [items[i], items[parent]] = [items[parent] as T, items[i] as T];
      i = parent;
    }
  }

  pop(): T | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let best = i;
        if (left < items.length && this.#before(items[left] as T, items[best] as T)) best = left;
        if (right < items.length && this.#before(items[right] as T, items[best] as T)) best = right;
        if (best === i) break;
        [items[i], items[best]] = [items[best] as T, items[i] as T];
        i = best;
      }
    }
    return top;
  }
}
