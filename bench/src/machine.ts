import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';

const require = createRequire(import.meta.url);

interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
}

function machineInfo(): MachineInfo {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

/** The installed version of a package, read from its package.json (works for packages without that export). */
function packageVersion(name: string): string {
  let dir = require.resolve(name);
  for (;;) {
    const parent = dir.slice(0, dir.lastIndexOf('/'));
    if (parent === dir || parent === '') return 'unknown';
    dir = parent;
    try {
      const manifest = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === name) return manifest.version ?? 'unknown';
    } catch {
      // not a package root: keep walking up
    }
  }
}

export function machineMarkdown(packages: string[]): string {
  const m = machineInfo();
  const lines = [
    `- CPU: ${m.cpu} × ${m.cores} cores, ${m.memoryGiB} GiB RAM, ${m.platform}`,
    `- Node.js ${m.node}`,
    `- Packages: ${[...new Set(packages)].map((p) => `${p} ${packageVersion(p)}`).join(', ')}`,
  ];
  return lines.join('\n');
}

/** The machine's load average over 1, 5 and 15 minutes: written beside figures measured on a shared machine. */
export function loadAverageText(): string {
  return os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(', ');
}
