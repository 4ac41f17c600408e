"""`arandu completion SHELL`: the shell's completion script for arandu, on standard output."""

from __future__ import annotations

from typing import Literal

from arandu.entrypoints.cli.common import reader_may_leave


def completion(shell: Literal["bash", "zsh", "fish"], /) -> int:
    """Print the completion script for SHELL; load it from the shell's start-up file.

    bash: `arandu completion bash > ~/.local/share/bash-completion/completions/arandu`;
    zsh: `arandu completion zsh > "${fpath[1]}/_arandu"`;
    fish: `arandu completion fish > ~/.config/fish/completions/arandu.fish`.
    `arandu --install-completion` does the same for the current shell.

    Parameters
    ----------
    shell
        bash, zsh or fish.
    """
    from arandu.entrypoints.cli.app import app

    with reader_may_leave():
        print(app.generate_completion(prog_name="arandu", shell=shell))
    return 0
