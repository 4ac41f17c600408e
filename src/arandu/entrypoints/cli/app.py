"""`arandu`: the command-line application and its sub-commands."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, NoReturn

from cyclopts import App

from arandu import __version__

if TYPE_CHECKING:
    from rich.console import Console

app = App(
    name="arandu",
    version=__version__,
    help=(
        "Judge Whisper transcriptions before anyone builds on them.\n\n"
        "Flags every record where Whisper looped, answered in the wrong script, invented text "
        "over silence or stamped artificial timestamps, and writes the verdict, with its reasons, "
        "back into the record."
    ),
)
# A lazily registered command's `help` replaces its docstring's description in `--help` (its parameters
# still come from the docstring), so each description is given here; tests/unit/test_cli_help.py keeps
# these texts equal to the docstrings.
app.command(
    "arandu.entrypoints.cli.judge_transcription:judge_transcription",
    name="judge-transcription",
    help=(
        "Judge every *_transcription.json record under LOCATION and write each verdict back.\n\n"
        "A record is an arandu record or the JSON written by openai-whisper, faster-whisper, WhisperX or "
        "whisper.cpp, recognised by its content; --pattern chooses other file names.\n\n"
        "Each record gets `validation` (the full verdict, with a score, a rationale and issue tags per "
        "criterion) and `is_valid`. Every other field is kept as it was, and a file is replaced "
        "atomically, so an interrupted run never leaves half a record.\n\n"
        "With a validator model, records that pass the heuristic stage also go through the LLM stage "
        "(language_drift, hallucination_loop). The validator is checked before any record is touched. A "
        "record whose LLM calls never got a valid answer is left as it was and counted as an error, so "
        "the next run retries it.\n\n"
        "Exit status: 0 when every record was judged or skipped, 1 when some record could not be read, "
        "parsed, judged or written (all others are still judged), 2 for bad usage or configuration "
        "(including an unreachable validator, or a folder another arandu run is judging), 128+N when "
        "stopped by signal N (Ctrl-C, SIGTERM, SIGHUP) after writing what was judged."
    ),
)
app.command(
    "arandu.entrypoints.cli.report:report",
    name="report",
    help=(
        "Summarise the verdicts stored under LOCATION; nothing is judged and no record is changed.\n\n"
        "Shows valid / invalid / unjudged counts, rejections per stage and per criterion, each "
        "criterion's score distribution with its threshold, the worst records with their tags and "
        "evidence, and the validator models and prompt versions that produced the verdicts. Reads one "
        "record at a time, so it works on buckets and on corpora of any size.\n\n"
        "Exit status: 0 when every record could be read, 1 when some could not (they are counted and "
        "named), 2 for bad usage."
    ),
)

audit = App(name="audit", help="Measure the judge's error rates: draw a sample for review, then score the labels.")
audit.command(
    "arandu.entrypoints.cli.audit_sample:audit_sample",
    name="sample",
    help=(
        "Draw a share or a number of the rejected and of the admitted records into a CSV sheet for a "
        "reviewer.\n\n"
        "Records are sorted by path; one generator seeded with --seed draws the rejected rows first, then "
        "the admitted ones. A share draws floor(share x n) of a class of n records; a count draws that many "
        "(all, if the class is smaller). The same corpus, amounts and seed always give the same sheet. The "
        "reviewer fills the `label` column: tp, fp or borderline on a rejected row; tn or fn on an admitted "
        "row. Then run `arandu audit score`. The `excerpt` column shows the text around the evidence, "
        "marked with ⟦ ⟧.\n\n"
        "Exit status: 0 when the sheet was written and every record could be read, 1 when some records "
        "could not be read (they are left out of the draw), 2 for bad usage."
    ),
)
audit.command(
    "arandu.entrypoints.cli.audit_score:audit_score",
    name="score",
    help=(
        "Score a labelled audit sheet written by `arandu audit sample`.\n\n"
        "Prints the false-positive rate among rejections and the false-negative rate among admissions, "
        "each with its exact (Clopper-Pearson) 95% interval, under two readings: lenient (a borderline "
        "label counts as a correct verdict) and conservative (it counts as an error). Where no error was "
        "found, the rule-of- three bound 3/n is printed beside the exact bound. Rates are projected onto "
        "the whole corpus with the class sizes the sheet carries. Rows without a label are left out and "
        "counted.\n\n"
        "Exit status: 0 when scored, 2 when the sheet is missing or holds an unknown label."
    ),
)
app.command(audit)
app.command(
    "arandu.entrypoints.cli.export:export",
    name="export",
    help=(
        "Export what a judged LOCATION holds to a new folder, bucket prefix or file; the source is never "
        "written.\n\n"
        "valid (the default) copies each record whose verdict passed, byte for byte, to the same path "
        "relative to DEST. cut-suspects writes every judged record with its suspect spans "
        "(`validation.suspect_spans`) cut out of its text and its segments, and a note under "
        "`arandu_export` of each cut (criterion, reason, segments, times, the text removed); a valid record "
        "with nothing to cut is copied as it is, and a rejected record with nothing located is left out. "
        "manifest writes one JSON line per record (`audio_filepath`, `text`, `duration` as NeMo reads them, "
        "then `path`, `is_valid`, `rejected_by`). Every file is written atomically; a manifest appears only "
        "once complete.\n\n"
        "Exit status: 0 when exported, 1 when some records could not be read or written (the others are "
        "exported), 2 for bad usage."
    ),
)
app.command(
    "arandu.entrypoints.cli.review:review",
    name="review",
    help=(
        "Label an audit sheet written by `arandu audit sample` on a local web page.\n\n"
        "The page shows one record at a time: its text with every evidence and suspect span marked, its "
        "segments with their times, its criteria with scores and rationales, and, when its audio file is "
        "found, a player that jumps to the evidence. Keys: t (the verdict is right: tp or tn), f (it is "
        "wrong: fp or fn), b (borderline), x (clear), j / k (next / previous), u (first unlabelled), space "
        "(play the evidence). Each label is written into the sheet at once (atomically), so closing the "
        "tab loses nothing; the page shows progress and `audit score`'s figures. The server listens on "
        "127.0.0.1 only and stops with Ctrl-C.\n\n"
        "Exit status: 0 when stopped, 2 when the sheet cannot be read or the port is taken."
    ),
)
app.command(
    "arandu.entrypoints.cli.completion:completion",
    name="completion",
    help=(
        "Print the completion script for SHELL; load it from the shell's start-up file.\n\n"
        "bash: `arandu completion bash > ~/.local/share/bash-completion/completions/arandu`; zsh: "
        "`arandu completion zsh > \"${fpath[1]}/_arandu\"`; fish: `arandu completion fish > "
        "~/.config/fish/completions/arandu.fish`. `arandu --install-completion` does the same for the "
        "current shell."
    ),
)
app.register_install_completion_command(help="Install arandu's completion for the current shell.")


def main() -> None:
    """Console-script entry point."""
    # arandu does no linear algebra; without this, importing numpy starts an OpenBLAS thread
    # per core, which spins for a while and takes CPU from the worker processes.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    app.console = _help_console()
    try:
        app()
    except SystemExit as stop:
        status = stop.code
    except KeyboardInterrupt:  # a second Ctrl-C: every write is atomic, so stopping here is safe
        print("\ninterrupted; records not yet written are left as they were", file=sys.stderr)
        status = 130
    else:
        status = 0
    _leave(status)


def _help_console() -> Console:
    """The console cyclopts prints help and usage errors on: `arandu --help | head -1` ends quietly.

    Rich's own console exits with status 1 when its reader goes away.
    """
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)

    return _Console()


def _leave(status: object) -> NoReturn:
    """Exit without the interpreter's teardown of every imported module, a noticeable share of a short run.

    By now each command has closed what it wrote (records are replaced atomically, reports
    written through context managers, worker pools and clusters shut down), so only the
    standard streams may still hold output: they are flushed first.
    """
    if status is not None and not isinstance(status, int):
        print(status, file=sys.stderr)
        status = 1
    code = status or 0
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`arandu report | head`) or stream
            code = code or 1
    os._exit(code)
