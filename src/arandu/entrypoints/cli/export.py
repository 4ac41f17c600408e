"""`arandu export LOCATION --to DEST`: the valid records, the records cut of their suspect spans, or a manifest."""

from __future__ import annotations

import sys
from typing import Annotated, Any, Literal

from cyclopts import Parameter

from arandu.adapters.export.destination import FolderDestination, ManifestFile
from arandu.adapters.export.source import RawRecordSource
from arandu.adapters.storage.locations import StorageError, open_location, protocol_of
from arandu.application.errors import RecordError
from arandu.application.export_corpus import ExportCorpus, ExportMode, ExportSummary
from arandu.entrypoints.cli.common import (
    DEFAULT_PATTERN,
    EXIT_OK,
    EXIT_RECORD_ERRORS,
    UsageError,
    fail,
    pattern_hint,
    settings_and_options,
)


def export(
    location: str,
    /,
    *,
    to: Annotated[str, Parameter(name=["--to"])],
    mode: Literal["valid", "cut-suspects", "manifest"] = "valid",
    pattern: str = DEFAULT_PATTERN,
    storage_option: Annotated[list[str] | None, Parameter(name="--storage-option", negative="")] = None,
    force: bool = False,
    quiet: Annotated[bool, Parameter(name=["--quiet", "-q"], negative="")] = False,
    verbose: Annotated[bool, Parameter(name=["--verbose", "-v"], negative="")] = False,
) -> int:
    """Export what a judged LOCATION holds to a new folder, bucket prefix or file; the source is never written.

    valid (the default) copies each record whose verdict passed, byte for byte,
    to the same path relative to DEST. cut-suspects writes every judged record
    with its suspect spans (`validation.suspect_spans`) cut out of its text and
    its segments, and a note under `arandu_export` of each cut (criterion, reason,
    segments, times, the text removed); a valid record with nothing to cut is
    copied as it is, and a rejected record with nothing located is left out.
    manifest writes one JSON line per record (`audio_filepath`, `text`,
    `duration` as NeMo reads them, then `path`, `is_valid`, `rejected_by`).
    Every file is written atomically; a manifest appears only once complete.

    Exit status: 0 when exported, 1 when some records could not be read or
    written (the others are exported), 2 for bad usage.

    Parameters
    ----------
    location
        A judged folder, bucket prefix (s3://, gs://, memory://) or single record.
    to
        The destination: a folder or bucket prefix (valid, cut-suspects) or a file (manifest).
        It must not lie inside LOCATION.
    mode
        valid, cut-suspects or manifest.
    pattern
        Glob that record file names must match (e.g. '*.json' for Whisper's own output files).
    storage_option
        KEY=VALUE passed to the filesystems of LOCATION and DEST; repeatable; adds to and overrides
        ARANDU_JUDGE_STORAGE_OPTIONS (see judge-transcription).
    force
        Write into a destination that already holds files (files of the same name are replaced).
    quiet
        Print nothing but errors.
    verbose
        Also print the path of each record exported.
    """
    try:
        settings, options = settings_and_options(storage_option)
        del settings  # read for its checks: a bad ARANDU_JUDGE_* value stops here
        source = RawRecordSource(location, storage_options=options, pattern=pattern)
        source.store.check()
        if next(iter(source.keys()), None) is None:
            return fail(pattern_hint(location, options, pattern))
        _check_destination(location, to, options, manifest=mode == "manifest", force=force)
    except (UsageError, StorageError) as exc:
        return fail(str(exc))

    def unreadable(error: RecordError) -> None:
        print(f"error: {error}", file=sys.stderr)

    def exported(key: str) -> None:
        print(f"exported: {source.relative(key)}", file=sys.stderr)

    listen = exported if verbose else None
    use_case = ExportCorpus(source, ExportMode(mode))
    if mode == "manifest":
        with ManifestFile(to, storage_options=options) as manifest:
            summary = use_case(manifest, on_error=unreadable, on_exported=listen)
            manifest.commit()
    else:
        with FolderDestination(to, storage_options=options) as folder:
            summary = use_case(folder, on_error=unreadable, on_exported=listen)
    if not quiet:
        print(_describe(summary, mode, to), file=sys.stderr)
    return EXIT_RECORD_ERRORS if summary.errors else EXIT_OK


def _describe(summary: ExportSummary, mode: str, to: str) -> str:
    what = "manifest line" if mode == "manifest" else "record"
    parts = [f"exported {summary.exported:,} {what}{'' if summary.exported == 1 else 's'} to {to}"]
    if summary.cut:
        parts.append(f"{summary.cut:,} of them cut of their suspect spans")
    left_out = [
        (summary.invalid, "invalid"),
        (summary.unjudged, "unjudged"),
        (summary.not_located, "rejected with nothing located to cut"),
        (summary.nothing_left, "with nothing left once cut"),
        (len(summary.errors), "unreadable or not written"),
    ]
    parts += [f"{n:,} {why} left out" for n, why in left_out if n]
    return "; ".join(parts)


def _check_destination(location: str, to: str, options: dict[str, Any], *, manifest: bool, force: bool) -> None:
    _, source_root = open_location(location, options)
    dest_fs, dest_root = open_location(to, options)
    same_store = protocol_of(location) == protocol_of(to)
    source_root, dest_root = source_root.rstrip("/"), dest_root.rstrip("/")
    if same_store and (dest_root == source_root or dest_root.startswith(source_root + "/")):
        raise UsageError(f"{to} lies inside {location}; export to somewhere apart from the source")
    if manifest:
        if dest_fs.isdir(dest_root):
            raise UsageError(
                f"{to} is a folder; --mode manifest writes one file (e.g. {to.rstrip('/')}/manifest.jsonl)"
            )
        if dest_fs.exists(dest_root) and not force:
            raise UsageError(f"{to} exists; pass --force to replace it")
        return
    if dest_fs.isfile(dest_root):
        raise UsageError(f"{to} is a file; --mode valid and cut-suspects write a folder")
    if not force and dest_fs.isdir(dest_root) and dest_fs.ls(dest_root, detail=False):
        raise UsageError(f"{to} already holds files; pass --force to write into it")
