import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (`getconf CLK_TCK`, 100 on Linux). */
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/**
 * CPU time (user + system, every thread) of a process and all its descendants, in seconds, from
 * /proc/<pid>/stat: read before and after a load to get what serving it cost (a cluster's primary and
 * workers, or one multi-threaded process). Processes must not come or go in between.
 */
export function treeCpuSeconds(pid: number): number {
  let ticks = 0;
  for (const process of [pid, ...descendants(pid)]) {
    const stat = readFileSync(`/proc/${process}/stat`, 'utf8');
    // Fields after the command name in parentheses: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / TICKS_PER_SECOND;
}

function descendants(pid: number): number[] {
  const children: number[] = [];
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
    if (text !== '') children.push(...text.split(/\s+/).map(Number));
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}
