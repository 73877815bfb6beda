import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createProgram } from '../main.js';
import { completionScript } from './completion.js';

/** Loads the generated script into a real bash and asks it to complete `words` (the last one being typed). */
function complete(words: string[]): string[] {
  const script = completionScript(createProgram(), 'bash');
  const driver = `${script}
COMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')})
COMP_CWORD=${words.length - 1}
_switchyard
printf '%s\\n' "\${COMPREPLY[@]}"`;
  return execFileSync('bash', ['--norc', '--noprofile', '-c', driver], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line !== '');
}

describe('switchyard completion bash', () => {
  it('when TAB follows the program name, then every command is offered', () => {
    const offered = complete(['switchyard', '']);
    expect(offered).toEqual(
      expect.arrayContaining(['serve', 'create', 'list', 'enable', 'keys', 'export', 'import', 'completion', '--help']),
    );
  });

  it('when a command name is half typed, then only the commands it starts are offered', () => {
    expect(complete(['switchyard', 'e']).sort()).toEqual(['enable', 'evaluate', 'export']);
  });

  it("when an option is half typed after a command, then that command's options are offered", () => {
    expect(complete(['switchyard', 'enable', '--name', 'my-flag', '--p']).sort()).toEqual(['--percentage']);
    expect(complete(['switchyard', 'serve', '--api-key-c']).sort()).toEqual([
      '--api-key-cache-max-keys',
      '--api-key-cache-seconds',
    ]);
  });

  it('when a nested command is typed, then its own subcommands and then its own options are offered', () => {
    expect(complete(['switchyard', 'keys', '']).sort()).toEqual(['--help', 'create', 'list', 'revoke']);
    expect(complete(['switchyard', 'keys', 'create', '--r']).sort()).toEqual(['--relay-url', '--role']);
  });

  it('when completing the completion command, then the shells are offered', () => {
    expect(complete(['switchyard', 'completion', '']).sort()).toEqual(['--help', 'bash', 'zsh']);
  });
});

describe('switchyard completion zsh', () => {
  it('when generated for zsh, then it loads bash completion support before the same function', () => {
    const script = completionScript(createProgram(), 'zsh');
    expect(script.split('\n')[0]).toBe('autoload -U +X bashcompinit && bashcompinit');
    expect(script).toContain('complete -F _switchyard switchyard');
  });
});
