// Shell integration: `customs completion [bash|zsh]` prints a completion script, and the script
// asks the binary itself for candidates (`customs --get-yargs-completions WORD…`, yargs'
// protocol). Commands, options and choices come from the yargs definitions; this module adds
// what yargs cannot know: which arguments are tracker files, which options take a value, and the
// tracker names of `--only`. Kept free of heavy imports: main.ts loads it on every start.

import type { Argv, CommandModule } from 'yargs';
import type { CliIo } from './run.ts';

export const SHELLS = ['bash', 'zsh'] as const;
export type Shell = (typeof SHELLS)[number];

/** The one line the binary answers when the word being completed is a tracker file. */
export const TRACKER_FILES = ':tracker-files';

/** Commands (space-separated paths) whose first positional argument is a tracker file. */
export const FILE_COMMANDS: readonly string[] = ['run', 'validate', 'edit', 'db export-trackers'];

/** What an option's value is; `path` leaves the shell to complete file names. */
export type ValueKind = 'path' | 'tracker-name' | 'text' | { readonly choices: readonly string[] };

/**
 * Every option that takes a value, by long name and alias (all other options are flags). A
 * test compares this with every command's --help, so a new option cannot be forgotten here.
 */
export const VALUE_OPTIONS: Readonly<Record<string, ValueKind>> = {
  output: 'path',
  o: 'path',
  'data-dir': 'path',
  'cache-dir': 'path',
  'known-bugs-from': 'path',
  db: 'path',
  only: 'tracker-name',
  events: { choices: ['jsonl'] },
  concurrency: 'text',
  'per-host': 'text',
  delay: 'text',
  timeout: 'text',
  retries: 'text',
  'retry-delay': 'text',
  'older-than': 'text',
  'batch-size': 'text',
  project: 'text',
};

/** The shell to write a script for when none is named: zsh if $SHELL is zsh, else bash. */
export function defaultShell(env: Readonly<Record<string, string | undefined>>): Shell {
  return (env.SHELL ?? '').endsWith('zsh') ? 'zsh' : 'bash';
}

/** The completion script for `shell`, completing the command `name` (which must be on PATH). */
export function completionScript(shell: Shell, name = 'customs'): string {
  const fn = `_${name.replace(/[^A-Za-z0-9_]/g, '_')}_completions`;
  if (shell === 'zsh') {
    return `#compdef ${name}
###-begin-${name}-completions-###
# zsh completion for ${name}. Install it as a function file in $fpath:
#     ${name} completion zsh > ~/.zfunc/_${name}    # with fpath=(~/.zfunc $fpath) before compinit in ~/.zshrc
# or load it from ~/.zshrc, after compinit:   source <(${name} completion zsh)
${fn}() {
  local -a reply
  reply=("\${(@f)$(SHELL=zsh ${name} --get-yargs-completions "\${(@)words[1,CURRENT]}" 2>/dev/null)}")
  reply=(\${reply:#})
  if [[ \${#reply} -eq 1 && \${reply[1]} == '${TRACKER_FILES}' ]]; then
    _files -g '*.(yaml|yml|json)'
  elif (( \${#reply} )); then
    _describe '${name}' reply
  else
    _files
  fi
}
if [[ "\${zsh_eval_context[-1]}" == loadautofunc ]]; then
  ${fn} "$@"
else
  compdef ${fn} ${name}
fi
###-end-${name}-completions-###
`;
  }
  return `###-begin-${name}-completions-###
# bash completion for ${name} (bash 3.2 or later). Install it with one of:
#     ${name} completion bash >> ~/.bashrc
#     ${name} completion bash > ~/.local/share/bash-completion/completions/${name}
${fn}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" line quoted
  local -a reply
  reply=()
  while IFS= read -r line; do
    [[ -n "$line" ]] && reply+=("$line")
  done < <(SHELL=bash ${name} --get-yargs-completions "\${COMP_WORDS[@]:0:COMP_CWORD+1}" 2>/dev/null)
  COMPREPLY=()
  if [[ \${#reply[@]} -eq 1 && "\${reply[0]}" == '${TRACKER_FILES}' ]]; then
    compopt -o filenames 2>/dev/null
    while IFS= read -r line; do
      if [[ -d "$line" || "$line" == *.yaml || "$line" == *.yml || "$line" == *.json ]]; then
        COMPREPLY+=("$line")
      fi
    done < <(compgen -f -- "$cur")
    return 0
  fi
  for line in "\${reply[@]}"; do
    if [[ "$line" == "$cur"* ]]; then
      printf -v quoted '%q' "$line"
      COMPREPLY+=("$quoted")
    fi
  done
  return 0
}
complete -o bashdefault -o default -F ${fn} ${name}
###-end-${name}-completions-###
`;
}

/** Where the word being completed stands, from the words typed so far (the last is the current one). */
export type CompletionPlace =
  | { readonly kind: 'tracker-file' }
  | { readonly kind: 'value'; readonly of: string; readonly value: ValueKind; readonly trackerFile: string }
  | { readonly kind: 'yargs' };

function optionName(word: string): string | undefined {
  const m = /^--?([^=]+)$/.exec(word);
  return m?.[1];
}

/** Decides what to complete; `words` starts with the program name, as the shell passes it. */
export function completionPlace(words: readonly string[]): CompletionPlace {
  const typed = words.slice(1);
  const current = typed.at(-1) ?? '';
  const before = typed.slice(0, -1);
  const positionals: string[] = [];
  let pendingValue: string | undefined;
  for (const word of before) {
    if (pendingValue !== undefined) pendingValue = undefined;
    else if (word.startsWith('-')) {
      const name = optionName(word);
      if (name !== undefined && VALUE_OPTIONS[name] !== undefined) pendingValue = name;
    } else positionals.push(word);
  }
  const fileCommand = FILE_COMMANDS.map((c) => c.split(' ')).find((path) => path.every((word, i) => positionals[i] === word));
  const trackerFile = (fileCommand && positionals[fileCommand.length]) ?? 'trackers.yaml';
  if (pendingValue !== undefined) {
    const value = VALUE_OPTIONS[pendingValue];
    if (value !== undefined) return { kind: 'value', of: pendingValue, value, trackerFile };
  }
  if (!current.startsWith('-') && fileCommand !== undefined && positionals.length === fileCommand.length) return { kind: 'tracker-file' };
  return { kind: 'yargs' };
}

/** The `tracker_name`s of a tracker file, or none when it cannot be read. */
export async function trackerNames(file: string): Promise<string[]> {
  try {
    const { loadTrackerFile } = await import('../config/load.ts');
    const loaded = await loadTrackerFile(file);
    return loaded.entries.map((e) => e.entry.tracker_name).filter((n) => typeof n === 'string' && n !== '');
  } catch {
    return [];
  }
}

/** yargs' own completion, which a fallback completion function may call. */
type DefaultCompletion = (onCompleted?: (err: Error | null, completions: string[] | undefined) => void) => unknown;

/** The completion function yargs calls; it must answer synchronously. */
export type CustomsCompletion = (current: string, parsed: unknown, defaultCompletion: DefaultCompletion, done: (completions: string[]) => void) => void;

/**
 * yargs' completion function for the words after `--get-yargs-completions` in `argv`: tracker
 * files, option values and tracker names here; commands, options and choices from yargs. When
 * the word is not an option, options are left out as long as something else is offered. yargs
 * needs the answer synchronously, so tracker names are read before (hence async, and a no-op
 * when `argv` is not a completion request).
 */
export async function completeCustoms(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): Promise<CustomsCompletion> {
  const at = argv.indexOf('--get-yargs-completions');
  const words = at < 0 ? [] : argv.slice(at + 1);
  const place = completionPlace(words);
  const zsh = (env.SHELL ?? '').includes('zsh');
  const names = place.kind === 'value' && place.value === 'tracker-name' ? await trackerNames(place.trackerFile) : [];
  return (current, _parsed, defaultCompletion, done) => {
    if (place.kind === 'tracker-file') return done([TRACKER_FILES]);
    if (place.kind === 'value') {
      const { value } = place;
      if (value === 'tracker-name') return done(names.filter((n) => n.startsWith(current)).map((n) => (zsh ? n.replace(/:/g, '\\:') : n)));
      return done(typeof value === 'object' ? value.choices.filter((c) => c.startsWith(current)) : []);
    }
    defaultCompletion((err, completions) => {
      // yargs offers "--o" for the alias -o when the word is "--": not an option anyone types.
      const all = (err ? [] : (completions ?? [])).filter((c) => !/^--[^-:](:|$)/.test(c));
      const others = all.filter((c) => !c.startsWith('-'));
      done(!current.startsWith('-') && others.length > 0 ? others : all);
    });
  };
}

/** `customs completion [bash|zsh]`. */
export function completionCommand(io: CliIo): CommandModule<object, { shell?: string }> {
  return {
    command: 'completion [shell]',
    describe: 'print the bash or zsh completion script (commands, options, tracker files)',
    builder: (y: Argv<object>) =>
      y
        .positional('shell', { type: 'string', choices: SHELLS, describe: 'the shell [default: zsh if $SHELL is zsh, else bash]' })
        .example('$0 completion bash >> ~/.bashrc', 'complete customs in every new bash')
        .example('$0 completion zsh > ~/.zfunc/_customs', 'zsh: a function file in $fpath (see the script\'s header)')
        .example('source <($0 completion)', 'try it in this shell only'),
    handler: (args) => {
      const shell = SHELLS.find((s) => s === args.shell) ?? defaultShell(io.env);
      io.stdout(completionScript(shell));
    },
  };
}
