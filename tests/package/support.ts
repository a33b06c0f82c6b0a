/** Helpers for tests/package: reading the packed tarball and running commands in a folder. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Runs a command; on failure the error carries its output, so a failed step explains itself. */
export async function run(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      timeout: options.timeoutMs ?? 120_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${options.cwd}:\n${stderr}\n${stdout}`.slice(0, 8000), { cause: error });
  }
}

/** Unpacks the tarball into a fresh temporary folder and returns the package's root in it. */
export async function unpack(tarball: string): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), 'heim-cancel-unpacked-'));
  await run('tar', ['-xzf', tarball, '-C', folder], { cwd: folder });
  return join(folder, 'package');
}

export interface PackageJson {
  name: string;
  private?: boolean;
  type?: string;
  exports: Record<string, string | { types: string; default: string }>;
  bin: Record<string, string>;
  files: string[];
  sideEffects: string[] | boolean;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  devDependencies?: Record<string, string>;
}

export function readPackageJson(root: string): PackageJson {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;
}
