"""`arandu`: the command-line application and its sub-commands."""

from __future__ import annotations

from cyclopts import App

from arandu import __version__

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
app.command(
    "arandu.entrypoints.cli.judge_transcription:judge_transcription",
    name="judge-transcription",
    # A lazily registered command's help replaces its docstring in `--help`, so the whole text is here:
    # the first line is what `arandu --help` lists, the rest is what `arandu judge-transcription --help` adds.
    help=(
        "Judge every *_transcription.json record under a folder and write each verdict back.\n\n"
        "Each record gets `validation` (the full verdict, with a score, a rationale and issue tags per "
        "criterion) and `is_valid`. Every other field is kept as it was, and a file is replaced atomically, "
        "so an interrupted run never leaves half a record.\n\n"
        "Exit status: 0 when every record was judged or skipped, 1 when some record could not be read, "
        "parsed, judged or written (all others are still judged), 2 for bad usage or configuration."
    ),
)
app.command("arandu.entrypoints.cli.report:report", name="report")

audit = App(name="audit", help="Measure the judge's error rates: draw a sample for review, then score the labels.")
audit.command("arandu.entrypoints.cli.audit_sample:audit_sample", name="sample")
audit.command("arandu.entrypoints.cli.audit_score:audit_score", name="score")
app.command(audit)


def main() -> None:
    """Console-script entry point."""
    app()
