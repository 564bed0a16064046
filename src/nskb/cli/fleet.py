"""kb-fleet: group many hosts by why user namespaces fail on them (or that they work).

    kb-fleet fleet-probe/                 the directory ansible/probe-fleet.yml wrote (one file per host)
    producer | kb-fleet -                 JSON Lines of {"host": ..., "probe": ..., "log": ...}

Exit status: 0 every host works, 1 some host does not (or could not be read), 2 usage error.
"""
from __future__ import annotations

import os
import sys

from nskb.cli.match_args import UsageError, one_line

PROG = "kb-fleet"
HELP = """usage: kb-fleet [DIR | -] [--format text|markdown|json] [--lang zh|en] [--site-url URL]

Group the hosts of a fleet by verdict: user namespaces work; blocked, with the cause; not sure;
unreachable or no output; unreadable output. Each cause comes with its count, its article and the
safest fix, and the facts that differ between the hosts of a group.

arguments:
  DIR                  one file per host, as ansible/probe-fleet.yml writes them (or kb-probe output
                       named <host>.probe); '-' or none reads JSON Lines from stdin
  --format FORMAT      text (default), markdown (for a ticket) or json (nskb-fleet/1, for a dashboard)
  --lang LANG          zh or en; default from LC_ALL / LC_MESSAGES / LANG
  --site-url URL       base of article links (default: the site's URL)
  -h, --help           show this help

exit status: 0 every host works, 1 some host does not or could not be read, 2 usage error
"""
CHOICES = {"--format": ("text", "markdown", "json"), "--lang": ("zh", "en")}


def parse_args(argv: list[str]) -> dict:
    args = {"source": None, "--format": "text", "--lang": None, "--site-url": None, "help": False}
    items = list(argv)
    while items:
        item = items.pop(0)
        if item in ("-h", "--help"):
            args["help"] = True
            continue
        name, has_value, inline = item.partition("=")
        if name in ("--format", "--lang", "--site-url"):
            if not has_value:
                if not items:
                    raise UsageError(f"argument {name}: expected one argument; see {PROG} --help")
                inline = items.pop(0)
            if name in CHOICES and inline not in CHOICES[name]:
                options = ", ".join(repr(c) for c in CHOICES[name])
                raise UsageError(f"argument {name}: invalid choice: {inline!r} (choose from {options}); see {PROG} --help")
            args[name] = inline
        elif item.startswith("-") and item != "-":
            raise UsageError(f"unrecognized arguments: {item}; see {PROG} --help")
        elif args["source"] is not None:
            raise UsageError(f"one DIR only (got {args['source']!r} and {item!r}); put every host file in one directory")
        else:
            args["source"] = item
    return args


def _records(source: str | None):
    from nskb.fleet.records import read_directory, read_json_lines

    if source in (None, "-"):
        if sys.stdin is None:
            raise UsageError("stdin is closed; give the directory of host files as DIR")
        return read_json_lines(sys.stdin.buffer)
    if not os.path.exists(source):
        raise UsageError(f"{source}: no such directory; run ansible/probe-fleet.yml with -e nskb_fleet_dir={source} first")
    if not os.path.isdir(source):
        raise UsageError(f"{source}: not a directory; give the directory that holds one file per host "
                         f"(or pipe JSON Lines: {PROG} - < {source})")
    try:
        os.listdir(source)
    except OSError as error:
        raise UsageError(f"{source}: cannot list it ({error.strerror}); check its permissions") from None
    return read_directory(source)


def run(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args["help"]:
        sys.stdout.write(HELP)
        return 0
    from nskb.fleet.render import to_json, to_markdown, to_text
    from nskb.fleet.summary import FleetSummary
    from nskb.fleet.verdict import HostDiagnoser
    from nskb.index.build import current_index as load_index
    from nskb.index.store import IndexUnusable
    from nskb.words import language_from_env

    lang = args["--lang"] or language_from_env(os.environ)
    records = _records(args["source"])
    try:
        index = load_index()
    except IndexUnusable as error:
        raise UsageError(str(error)) from None
    site_url = args["--site-url"] or index["site_url"]
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    diagnoser = HostDiagnoser(index, lang, site_url)
    summary = FleetSummary()
    for record in records:
        summary.add(record.host, record.source, diagnoser.verdict(record))
    if summary.total == 0:
        where = args["source"] if args["source"] not in (None, "-") else "<stdin>"
        raise UsageError(f"{where}: no host records; run ansible/probe-fleet.yml first, or pipe JSON Lines")
    form = args["--format"]
    if form == "json":
        import json

        text = json.dumps(to_json(summary, index, lang, site_url), ensure_ascii=False, indent=2) + "\n"
    elif form == "markdown":
        text = to_markdown(summary, index, lang, site_url)
    else:
        text = to_text(summary, index, lang, site_url)
    sys.stdout.buffer.write(text.encode("utf-8", "replace"))
    sys.stdout.flush()
    return 0 if summary.all_work else 1


def main(argv: list[str] | None = None) -> int:
    try:
        return run(argv)
    except UsageError as error:
        sys.stderr.write(f"{PROG}: {one_line(str(error))}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: interrupted\n")
        return 130
    except BrokenPipeError:
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        except OSError:
            pass
        return 0
    except Exception as error:
        if os.environ.get("NSKB_DEBUG"):
            raise
        sys.stderr.write(f"{PROG}: internal error ({type(error).__name__}: {error}); "
                         "rerun with NSKB_DEBUG=1 for details and report it at https://github.com/nskb-kb/nskb/issues\n")
        return 2


if __name__ == "__main__":
    sys.exit(main())
