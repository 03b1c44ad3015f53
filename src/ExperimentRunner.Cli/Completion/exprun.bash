# Bash completion for exprun. Enable it in the current shell with
#   eval "$(exprun completion bash)"
# or for every shell: exprun completion bash > ~/.local/share/bash-completion/completions/exprun
#
# exprun itself computes the candidates (commands, options, catalog names, --set keys, summary columns, paths):
# the function passes it the line and the cursor position through System.CommandLine's [suggest:N] directive.
_exprun_complete() {
    local exe=$1
    # The command word as typed: bash does not expand a leading ~ in it for us.
    [[ $exe == "~/"* ]] && exe="$HOME/${exe#"~/"}"
    local line=${COMP_LINE:0:COMP_POINT}
    # exprun completes the text after the last space; bash's current word may be only the part after an '=' or
    # ':' (COMP_WORDBREAKS), so that part of a candidate which bash keeps in front of its word is cut off.
    local word=${line##* }
    local cur=${COMP_WORDS[COMP_CWORD]}
    local kept=${word%"$cur"}
    local candidate
    COMPREPLY=()
    while IFS= read -r candidate; do
        [[ -n $candidate && $candidate == "$word"* ]] || continue
        # Options only once a '-' is typed, as most bash completions do; /? and /h are Windows spellings of --help.
        [[ $candidate == -* && $word != -* || $candidate == /[?h] ]] && continue
        COMPREPLY+=("${candidate#"$kept"}")
    done < <("$exe" "[suggest:$COMP_POINT]" "$COMP_LINE" 2>/dev/null)
    # A folder or a key=: the user goes on typing right after it.
    if [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *[/=] ]]; then
        compopt -o nospace 2>/dev/null
    fi
    return 0
}
complete -F _exprun_complete exprun
