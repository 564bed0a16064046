"""kb-match: name the cause of a sandbox / user-namespace failure from its error output.

Exit status: 0 a cause named with confidence, 1 no confident cause (the closest candidates are
shown), 2 usage or input error (one line on stderr).
Runs on the compiled index only: no YAML, jsonschema or MkDocs on this path.
"""
from __future__ import annotations

import os
import sys

from nskb.cli.common import use_color, version_line
from nskb.cli.match_args import HELP, PROG, Args, UsageError, one_line, parse_args
from nskb.cli.streams import say, write_out
from nskb.diagnose.model import CONFIDENT, diagnose
from nskb.diagnose.normalize import CHUNK_SIZE, InputError
from nskb.diagnose.scan import Scanner
from nskb.diagnose.types import Scan
from nskb.index.build import current_index
from nskb.index.store import IndexUnusable
from nskb.report.terminal import Style
from nskb.words import language_from_env

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NoReturn

    from nskb.index.format import Index

ISSUES = "https://github.com/nskb-kb/nskb/issues"


# What to tell a person when a log file, or the --probe file, cannot be opened.
LOG_HINTS = {
    "dir": "is a directory; give the log files in it, e.g. {prog} {stem}/*.log",
    "missing": "no such file; check the path, or pipe the log: cmd 2>&1 | {prog}",
    "denied": "permission denied; read it as its owner, e.g. sudo cat {name} | {prog}",
}
PROBE_HINTS = {
    "dir": "is a directory; --probe takes the file kb-probe wrote",
    "missing": "no such file; write it with kb-probe > probe.txt",
    "denied": "permission denied; make the probe file readable",
}


def _open_one(name: str, hints: dict = LOG_HINTS):
    """Open one input file; an OS error becomes one clear usage line naming it."""
    def fail(kind: str) -> UsageError:
        return UsageError(f"{name}: " + hints[kind].format(prog=PROG, name=name, stem=name.rstrip("/")))

    try:
        if os.path.isdir(name):
            raise fail("dir")
        return open(name, "rb")
    except FileNotFoundError:
        raise fail("missing") from None
    except PermissionError:
        raise fail("denied") from None
    except OSError as error:
        raise UsageError(f"{name}: cannot open it ({error.strerror}); check the path") from None


def _check_inputs(files: list[str]) -> list[str]:
    """Try every input before reading any, so a bad path fails fast with its name.

    Each file is opened again when its turn comes, so any number of files can be given without
    running out of file descriptors.
    """
    names = []
    for name in files or ["-"]:
        if name == "-":
            if sys.stdin is None:
                raise UsageError("stdin is closed; give the log as a FILE argument")
        elif _is_stream(name):
            # A FIFO or a device gives its data once: it is opened only when its turn comes.
            if not os.access(name, os.R_OK):
                raise UsageError(f"{name}: " + LOG_HINTS["denied"].format(prog=PROG, name=name, stem=name))
        else:
            _open_one(name).close()
        names.append(name)
    return names


def _is_stream(name: str) -> bool:
    import stat

    try:
        return not stat.S_ISREG(os.stat(name).st_mode) and not stat.S_ISDIR(os.stat(name).st_mode)
    except OSError:
        return False


def _chunks(name: str, handle):
    while True:
        try:
            chunk = handle.read(CHUNK_SIZE)
        except OSError as error:
            raise UsageError(f"{name}: read error ({error.strerror}); copy the log to a readable file first") from None
        if not chunk:
            return
        yield chunk


def _read_probe(args: Args, index: Index) -> tuple[dict[str, str], list[dict[str, Any]]]:
    if args.probe and args.probe_here:
        raise UsageError("--probe and --probe-here both give the facts; use one of them")
    known = _fact_specs(index) if (args.probe or args.probe_here) else None
    if args.probe_here:
        from nskb.probe.run import ProbeError, run_probe

        try:
            text = run_probe()
        except ProbeError as error:
            raise UsageError(f"--probe-here: {error}; run kb-probe by hand and pass its output with --probe FILE") from None
        where = "probe.sh"
    elif args.probe:
        from nskb.probe.parse import MAX_INPUT_BYTES as PROBE_MAX_BYTES

        where = "<stdin>" if args.probe == "-" else args.probe
        if args.probe == "-":
            if sys.stdin is None:
                raise UsageError("--probe -: stdin is closed; give the probe output as --probe FILE")
            raw = sys.stdin.buffer.read(PROBE_MAX_BYTES + 1)
        else:
            with _open_one(args.probe, PROBE_HINTS) as handle:
                try:
                    raw = handle.read(PROBE_MAX_BYTES + 1)
                except OSError as error:
                    raise UsageError(f"{args.probe}: cannot read it ({error.strerror})") from None
        if len(raw) > PROBE_MAX_BYTES:
            raise UsageError(f"{where}: larger than {PROBE_MAX_BYTES >> 20} MiB, so not kb-probe output; "
                             "pass the file kb-probe wrote")
        if b"\0" in raw:
            raise UsageError(f"{where}: binary data, not kb-probe output; pass the file kb-probe wrote")
        text = raw.decode("utf-8", "replace")
    else:
        return {}, []
    return parse_probe(text, where, known)


def _fact_specs(index: Index) -> dict[str, Any] | None:
    """What kb/facts.yaml allows for each key, so that `chroot=ye` is reported (from the index's
    lean part: reading the articles, 1 MB of JSON, would double a run's start-up)."""
    from nskb.probe.parse import FactSpec

    return {key: FactSpec(frozenset(v for v in spec.get("values") or () if isinstance(v, str)),
                          str(spec.get("format") or ""))
            for key, spec in (index.get("facts") or {}).items()} or None


def parse_probe(text: str, where: str, known: Any) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """Facts and coded warnings from probe output (key=value or JSON), through the probe's own parser.

    The parser never raises; it turns every problem into a coded warning. Two kinds make the facts
    unusable, and end the run with exit status 2: nothing parsed at all (not probe output), and a
    key given twice with different values (two runs pasted together). Anything else (an unknown
    key, a value of the wrong JSON type) is reported, as `probe-<code>`, and the run goes on.
    """
    from nskb.probe.parse import CONFLICTS, FORMAT_NOTES, parse_probe_output

    result = parse_probe_output(text, known_keys=known)
    conflicts = [w for w in result.warnings if w.code in CONFLICTS]
    if conflicts:
        first = conflicts[0]
        raise UsageError(f"{where}:{first.line}: {one_line(first.message())}; pass the output of a single kb-probe run")
    if not result.facts:
        # Notes about the header or the envelope only say how the text was read, not why it failed.
        fatal = [w for w in result.warnings if w.code not in FORMAT_NOTES] or result.warnings
        at, message = (f"{where}:{fatal[0].line}", fatal[0].message()) if fatal else (where, "no facts found")
        raise UsageError(f"{at}: {one_line(message)}; pass the unmodified output of kb-probe (or kb-probe --format json)")
    facts = {str(k): str(v) for k, v in dict(result.facts).items()}
    return facts, [{**w.as_dict(), "code": "probe-" + w.code, "file": where} for w in result.warnings]


class _OutputFailed(Exception):
    """stdout is closed or full; the reason is already on stderr."""


def _emit(text: str) -> None:
    if not write_out(PROG, text):
        raise _OutputFailed()


def _load_index() -> Index:
    try:
        index = current_index()
    except IndexUnusable as error:
        raise UsageError(str(error)) from None
    if index.get("_warning"):
        say(PROG, f"warning: {one_line(index['_warning'])}")
    problems = index.get("problems") or []
    if problems:  # a checkout whose kb/ is being edited: part of it did not load
        say(PROG, f"warning: kb/ has {len(problems)} problem(s) and kb-match uses what loaded "
                  f"(first: {one_line(problems[0])}); run kb-lint kb")
    return index


def _site_url(flag: str | None, default: str) -> str:
    """--site-url, else $NSKB_SITE_URL (a local or internal copy of the site, e.g. the one
    `make serve` runs), else site_url of mkdocs.yml, which the index carries."""
    chosen, where = (flag, "--site-url") if flag else (os.environ.get("NSKB_SITE_URL"), "NSKB_SITE_URL")
    if not chosen:
        chosen, where = default, "site_url"
    if not _is_http_url(chosen):
        raise UsageError(f"{where}: {chosen!r} is not an http(s) URL; give the site's base, "
                         "e.g. --site-url http://127.0.0.1:8000/")
    return chosen if chosen.endswith("/") else chosen + "/"


def _is_http_url(url: str) -> bool:
    """What `re.match(r"^https?://[^\\s/]+(/\\S*)?$", url)` accepts, without importing `re` on
    every run: a scheme, a host, an optional path, no whitespace (a final newline is allowed by `$`)."""
    scheme = "https://" if url.startswith("https://") else "http://" if url.startswith("http://") else ""
    if not scheme:
        return False
    rest = url[len(scheme):]
    rest = rest[:-1] if rest.endswith("\n") else rest
    return bool(rest.split("/", 1)[0]) and not any(ch.isspace() for ch in rest)


def run(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.help:
        _emit(HELP)
        return 0
    if args.version:
        _emit(version_line(PROG))
        return 0
    lang = args.lang or language_from_env(os.environ)
    index = _load_index()
    site_url = _site_url(args.site_url, index["site_url"])
    style = Style(use_color(args.color, sys.stdout))
    if args.explain is not None:
        return _explain(args.explain, index, lang, site_url, style)
    if args.probe == "-" and (not args.files or "-" in args.files):
        raise UsageError("--probe - and the log cannot both come from stdin; give the log as a FILE")
    probe_facts, probe_warnings = _read_probe(args, index)
    names = _check_inputs(args.files)
    scan = Scan()
    scanner = Scanner(index)  # type: ignore[arg-type]  # the engine takes a plain dict until its rewrite
    for name in names:
        label, handle = ("<stdin>", sys.stdin.buffer) if name == "-" else (name, _open_one(name))
        before = scan.bytes
        try:
            scanner.feed(scan, label, _chunks(label, handle))
        except InputError as error:
            raise UsageError(f"{error.where}: {error.message}; {error.hint}") from None
        finally:
            if name != "-":
                handle.close()
        if scan.bytes == before and (len(names) > 1 or args.probe or args.probe_here):
            scan.warn("empty", file=label)
    if scan.bytes == 0 and not probe_facts:
        where = ("<stdin>" if names[0] == "-" else names[0]) if len(names) == 1 else "all inputs"
        raise UsageError(f"{where}: the input is empty; pass the failing command's output: cmd 2>&1 | {PROG}")
    diagnosis = diagnose(index, scan, probe_facts, probe_warnings)  # type: ignore[arg-type]
    result = diagnosis.to_dict()
    _emit(_report(args.format, result, index, lang, site_url, args.top, style))
    return 0 if diagnosis.verdict == "cause" else 1


def _report(form: str, result: dict, index: Index, lang: str, site_url: str, top: int, style) -> str:
    """The result in the chosen format; only that format's module is imported."""
    if form == "json":
        import json

        from nskb.report.as_json import to_json

        return json.dumps(to_json(result, index, lang, site_url, top, CONFIDENT), ensure_ascii=False, indent=2) + "\n"
    if form == "github":
        from nskb.report.github import to_github

        return to_github(result, index, lang, site_url, top, CONFIDENT)
    if form == "markdown":
        from nskb.report.markdown import to_markdown

        return to_markdown(result, index, lang, site_url, top, CONFIDENT)
    from nskb.report.text import to_text

    return to_text(result, index, lang, site_url, top, style, CONFIDENT)


def _explain(entry_id: str, index: Index, lang: str, site_url: str, style) -> int:
    from nskb.report.article import article, find_entry

    entry_id = entry_id.strip().strip("/").split("/")[-1]
    kinds = find_entry(index, entry_id)
    if not kinds:
        import difflib

        known = sorted(set(index["symptoms"]) | set(index["causes"]) | set(index["fixes"]))
        close = difflib.get_close_matches(entry_id, known, n=1)
        hint = f"did you mean {close[0]}?" if close else "the IDs are the file names under kb/symptoms, kb/causes and kb/fixes"
        raise UsageError(f"--explain {entry_id}: no symptom, cause or fix has this ID; {hint}")
    import shutil

    width = max(40, min(100, shutil.get_terminal_size((88, 24)).columns - 2))
    _emit(article(index, kinds[0], entry_id, lang, site_url, style, width))
    return 0


def main(argv: list[str] | None = None) -> int:
    try:
        return run(argv)
    except UsageError as error:
        say(PROG, one_line(str(error)))
        return 2
    except _OutputFailed:
        return 2
    except KeyboardInterrupt:
        say(PROG, "interrupted")
        return 130
    except BrokenPipeError:
        sys.stdout = None  # the reader left; nothing to flush at exit
        return 0
    except Exception as error:
        if os.environ.get("NSKB_DEBUG"):
            raise
        say(PROG, f"internal error ({type(error).__name__}: {error}); "
                  f"rerun with NSKB_DEBUG=1 for details and report it at {ISSUES}")
        return 2


def console() -> NoReturn:
    """The kb-match command: main(), then the exit without the interpreter's teardown.

    Teardown frees the loaded index and every imported module object by object, about a tenth of a
    short run. Everything kb-match writes goes through write_out and say, which flush; any output
    still buffered is flushed here. Files it writes (a rebuilt index) are closed before main returns.
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


if __name__ == "__main__":
    console()
