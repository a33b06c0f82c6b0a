/**
 * Which versions of the peers each throwaway portal installs, read from package.json so the
 * ranges we publish and the versions we test cannot drift apart: one portal on the newest peers
 * (the devDependencies this repository develops against, React 19), one on the lowest versions
 * `peerDependencies` allows (React 18.3.0). A portal pinned to a floor is inside our declared range,
 * so it must typecheck, build, render and cancel as well as one on the newest.
 */

/** The peers a portal installs beside the package. */
export const PEERS = ['react', 'react-dom', '@tanstack/react-query', 'react-hook-form', 'zod'] as const;
export type Peer = (typeof PEERS)[number];

/** Build tools of the throwaway portal: always this repository's own, whatever the peers. */
export const TOOLING = ['vite', '@vitejs/plugin-react', 'typescript', '@types/node'] as const;
export type Tool = (typeof TOOLING)[number];

/** One throwaway portal: what it installs. */
export interface ConsumerLine {
  name: string;
  peers: Record<Peer, string>;
  /** `@types/react` and `@types/react-dom`: not peers of ours, but the portal's TypeScript compiles our declarations against them. */
  types: { react: string; reactDom: string };
  tooling: Record<Tool, string>;
}

export interface Manifest {
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

type Version = [major: number, minor: number, patch: number];

function parseVersion(version: string): Version {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!match) throw new Error(`${version}: not an exact x.y.z version`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/**
 * The lowest version each alternative of a peer range allows, by major:
 * `^18.3.0 || ^19.0.0` → 18 ↦ 18.3.0, 19 ↦ 19.0.0. Only caret ranges on an exact version (major
 * 1 or more) are read, the only form our package.json uses; any other form throws, so a range
 * written differently one day fails here instead of being misread as a floor.
 */
export function floorsByMajor(range: string): Map<number, string> {
  const floors = new Map<number, string>();
  for (const alternative of range.split('||').map((part) => part.trim())) {
    const match = /^\^(\d+\.\d+\.\d+)$/.exec(alternative);
    const [major] = match ? parseVersion(match[1]!) : [0];
    if (!match || major === 0 || floors.has(major)) throw new Error(`peer range "${range}": "${alternative}" is not a caret range this test can read`);
    floors.set(major, match[1]!);
  }
  return floors;
}

/** Whether `version` is inside `range` (the caret ranges `floorsByMajor` reads). */
export function satisfies(version: string, range: string): boolean {
  const [major, minor, patch] = parseVersion(version);
  const floor = floorsByMajor(range).get(major);
  if (floor === undefined) return false;
  const [, floorMinor, floorPatch] = parseVersion(floor);
  return minor > floorMinor || (minor === floorMinor && patch >= floorPatch);
}

function required(record: Record<string, string>, name: string, where: string): string {
  const value = record[name];
  if (value === undefined) throw new Error(`package.json ${where} has no ${name}`);
  return value;
}

function tooling(manifest: Manifest): Record<Tool, string> {
  return Object.fromEntries(TOOLING.map((name) => [name, required(manifest.devDependencies, name, 'devDependencies')])) as Record<Tool, string>;
}

/** The versions this repository develops and tests against (devDependencies). */
export function newestLine(manifest: Manifest): ConsumerLine {
  const dev = manifest.devDependencies;
  const react = required(dev, 'react', 'devDependencies');
  return {
    name: `the newest peers (React ${react})`,
    peers: Object.fromEntries(PEERS.map((name) => [name, required(dev, name, 'devDependencies')])) as Record<Peer, string>,
    types: { react: required(dev, '@types/react', 'devDependencies'), reactDom: required(dev, '@types/react-dom', 'devDependencies') },
    tooling: tooling(manifest),
  };
}

/**
 * The lowest version of every peer that package.json's ranges allow: each range's lowest major at
 * its floor, React and React DOM included (18.3.0 while 18 is in the range). Type packages follow
 * React's major.minor (DefinitelyTyped's versioning), so the first release for the floor's minor,
 * `x.y.0`, stands for the oldest types a portal on that React has.
 */
export function floorLine(manifest: Manifest): ConsumerLine {
  const lowest = (name: Peer): string => {
    const floors = floorsByMajor(required(manifest.peerDependencies, name, 'peerDependencies'));
    return floors.get(Math.min(...floors.keys()))!;
  };
  const peers = Object.fromEntries(PEERS.map((name) => [name, lowest(name)])) as Record<Peer, string>;
  const [major, minor] = parseVersion(peers.react);
  const types = `${major}.${minor}.0`;
  return { name: `the lowest peers package.json allows (React ${peers.react})`, peers, types: { react: types, reactDom: types }, tooling: tooling(manifest) };
}
