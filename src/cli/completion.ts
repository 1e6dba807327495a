import type { Command } from 'commander';
import { ArgumentError } from './io.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

function flags(cmd: Command): string[] {
  return cmd.options.flatMap((o) => [o.short, o.long].filter((f): f is string => Boolean(f)));
}

/** Values an option takes, where there is a fixed list: commander's choices, or the list its description gives. */
function values(o: Command['options'][number]): string[] | undefined {
  if (o.argChoices?.length) return o.argChoices;
  const list = /(?:repeatable: |one of:? )([a-z0-9.]+(?:, [a-z0-9.]+)+)/.exec(o.description)?.[1];
  return list?.split(', ');
}

/** `prev) COMPREPLY=(…)` lines of one command: the values of each option that has a list. */
function valueCases(cmd: Command, extra: Record<string, string[]> = {}): string {
  const out: string[] = [];
  for (const o of cmd.options) {
    const v = o.long ? extra[o.long] ?? values(o) : undefined;
    if (!v || !(o.required || o.optional)) continue;
    out.push(`${[o.short, o.long].filter(Boolean).join('|')}) COMPREPLY=( $(compgen -W "${v.join(' ')}" -- "$cur") ); return ;;`);
  }
  return out.join(' ');
}

/** A completion script for `svclint`: subcommands, then each command's options and file names. */
export function completion(shell: string, program: Command, ruleIds: readonly string[] = []): string {
  const commands = program.commands.map((c) => c.name());
  const perCommand = program.commands.map((c) => ({ name: c.name(), flags: [...flags(c), '--help'].join(' ') }));
  const lint = perCommand.find((c) => c.name === 'lint')!.flags;
  switch (shell) {
    case 'bash':
      return `# svclint completion for bash: eval "$(svclint completion bash)"
_svclint() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmd="" w
  for w in "\${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
    case "$w" in ${commands.join('|')}) cmd="$w"; break ;; esac
  done
  # Values of options that take one from a list (formats, severities, versions, rules, shells).
  case "$cmd" in
${program.commands.map((c) => `    ${c.name()}) case "$prev" in ${valueCases(c, { '--rule': ruleIds.flatMap((id) => [`${id}=error`, `${id}=warning`, `${id}=off`]) })} esac ;;`).join('\n')}
    *) case "$prev" in ${valueCases(program.commands.find((c) => c.name() === 'lint')!, { '--rule': ruleIds.flatMap((id) => [`${id}=error`, `${id}=warning`, `${id}=off`]) })} esac ;;
  esac
  if [[ "$cmd" == completion && "$prev" == completion ]]; then COMPREPLY=( $(compgen -W "${SHELLS.join(' ')}" -- "$cur") ); return; fi
  local opts
  case "$cmd" in
${perCommand.map((c) => `    ${c.name}) opts="${c.flags}" ;;`).join('\n')}
    *) opts="${lint} ${commands.join(' ')} --version" ;;
  esac
  if [[ "$cur" == -* || -z "$cmd" ]]; then
    COMPREPLY=( $(compgen -W "$opts" -- "$cur") $(compgen -f -- "$cur") )
  else
    COMPREPLY=( $(compgen -f -- "$cur") )
  fi
}
complete -o filenames -F _svclint svclint
`;
    case 'zsh':
      return `#compdef svclint
# svclint completion for zsh: eval "$(svclint completion zsh)" (after compinit)
_svclint() {
  local -a commands opts
  commands=(${program.commands.map((c) => `'${c.name()}:${c.description().replace(/'/g, '')}'`).join(' ')})
  local cmd=\${words[(r)(${commands.join('|')})]}
  case $cmd in
${perCommand.map((c) => `    ${c.name}) opts=(${c.flags}) ;;`).join('\n')}
    *) opts=(${lint}); _describe 'command' commands ;;
  esac
  compadd -- $opts
  _files
}
compdef _svclint svclint
`;
    case 'fish':
      return `# svclint completion for fish: svclint completion fish | source
complete -c svclint -n '__fish_use_subcommand' -a '${commands.join(' ')}'
${program.commands.flatMap((c) => c.options.filter((o) => o.long).map((o) => `complete -c svclint -n '__fish_seen_subcommand_from ${c.name()}${c.name() === 'lint' ? '; or __fish_use_subcommand' : ''}' -l ${o.long!.slice(2)}${o.short ? ` -s ${o.short.slice(1)}` : ''}${o.required || o.optional ? ' -r' : ''} -d '${o.description.replace(/'/g, '')}'`)).join('\n')}
`;
    default:
      throw new ArgumentError(`no completion for shell '${shell}' (one of: ${SHELLS.join(', ')})`);
  }
}
