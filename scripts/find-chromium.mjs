// Finds a system Chromium for the browser tests: CHROMIUM_PATH, then /usr/bin/chromium. On a
// Debian machine where we are root it installs Debian's `chromium` package (never a downloaded
// browser build: this machine reaches only the npm registry and Debian's packages).
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** Flags that keep the system Chromium quiet on a closed network, as root (toolchain.md). */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findChromium({ install = true } = {}) {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (executable(fromEnv)) return fromEnv;
    throw new Error(`CHROMIUM_PATH=${fromEnv} is not an executable file; point it at a Chromium binary.`);
  }
  for (const path of CANDIDATES) if (executable(path)) return path;

  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (install && isRoot && existsSync('/usr/bin/apt-get')) {
    console.log('Chromium not found: installing Debian package "chromium" with apt-get (one time)...');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
    for (const path of CANDIDATES) if (executable(path)) return path;
  }
  throw new Error(
    'No Chromium found for the browser tests: install it (Debian: `sudo apt-get install chromium`) or set CHROMIUM_PATH to its binary.',
  );
}
