/**
 * A minimal React DevTools hook, installed before React loads, that counts which components ran in
 * each commit under the `<Profiler id="tick">` subtree. A component "rendered" when its props or
 * hook state object changed since the last commit (React makes new ones only when it calls the
 * component), or when it first mounted.
 */
interface Fiber {
  tag: number;
  type: unknown;
  child: Fiber | null;
  sibling: Fiber | null;
  alternate: Fiber | null;
  memoizedProps: unknown;
  memoizedState: unknown;
}

export interface CommitRecord {
  readonly at: number;
  readonly rendered: readonly string[];
}

// Function, class, forwardRef, memo and simple memo components: the ones that run user code.
const COMPONENT_TAGS = new Set([0, 1, 11, 14, 15]);
const PROFILER_TAG = 12;

const seen = new WeakMap<Fiber, { props: unknown; state: unknown }>();
export const commits: CommitRecord[] = [];

function nameOf(type: unknown): string {
  if (typeof type === 'function') return (type as { displayName?: string; name: string }).displayName ?? (type as { name: string }).name;
  if (typeof type === 'object' && type !== null) {
    const inner = (type as { render?: unknown; type?: unknown }).render ?? (type as { type?: unknown }).type;
    return nameOf(inner);
  }
  return String(type);
}

function didRender(fiber: Fiber): boolean {
  const last = seen.get(fiber) ?? (fiber.alternate ? seen.get(fiber.alternate) : undefined);
  const now = { props: fiber.memoizedProps, state: fiber.memoizedState };
  seen.set(fiber, now);
  if (fiber.alternate) seen.set(fiber.alternate, now);
  return last === undefined || last.props !== now.props || last.state !== now.state;
}

function walk(fiber: Fiber | null, inside: boolean, rendered: string[]): void {
  for (let current = fiber; current !== null; current = current.sibling) {
    const isTickProfiler = current.tag === PROFILER_TAG && (current.memoizedProps as { id?: string } | null)?.id === 'tick';
    const within = inside || isTickProfiler;
    if (within && COMPONENT_TAGS.has(current.tag) && didRender(current)) rendered.push(nameOf(current.type));
    walk(current.child, within, rendered);
  }
}

(globalThis as { __REACT_DEVTOOLS_GLOBAL_HOOK__?: unknown }).__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
  supportsFiber: true,
  renderers: new Map(),
  inject: () => 1,
  checkDCE: () => undefined,
  onScheduleFiberRoot: () => undefined,
  onCommitFiberUnmount: () => undefined,
  onPostCommitFiberRoot: () => undefined,
  onCommitFiberRoot: (_id: number, root: { current: Fiber }) => {
    const rendered: string[] = [];
    walk(root.current, false, rendered);
    if (rendered.length > 0) commits.push({ at: performance.now(), rendered });
  },
};
