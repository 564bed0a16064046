"""kb-match's command line: options, usage errors and how they are shown (one line, no traceback).

argparse is not used: importing it alone would double kb-match's start-up.
"""
from __future__ import annotations

PROG = "kb-match"


class UsageError(Exception):
    """Bad options or unusable input: printed as one line, exit status 2."""


HELP = """usage: kb-match [FILE ...] [-p FILE|-] [--probe-here] [-f text|json|markdown|github] [-l zh|en]
                [--site-url URL] [-n N] [-e ID] [--color auto|always|never] [-V] [-h]

Name the cause of a sandbox / user-namespace failure from its error output, with the evidence,
the safest fix and the article.

arguments:
  FILE                    error output to read; '-' or none reads stdin
  -p, --probe FILE        kb-probe output (key=value or JSON); '-' reads it from stdin
  --probe-here            run the bundled probe on this machine first
  -f, --format FORMAT     text (default), json (nskb-match/2), markdown, or github (GitHub Actions
                          workflow commands: an annotation per cause on the matched log line)
  -l, --lang LANG         zh or en; default from LC_ALL / LC_MESSAGES / LANG
  --site-url URL          base of article links (default: $NSKB_SITE_URL, else the site's URL)
  -n, --top N             causes to show (default 3)
  -e, --explain ID        print the article for a symptom, cause or fix
  --color WHEN            auto (default: only on a terminal, and not when NO_COLOR is set),
                          always or never
  -V, --version           print the version
  -h, --help              show this help

examples:
  flatpak run org.example.App 2>&1 | kb-match
  kb-match build.log --probe probe.txt -f markdown
  kb-match -l zh -e chroot-environment

exit status: 0 a cause named with confidence, 1 no confident cause (the closest candidates are
shown) or no failure recognised, 2 usage or input error
"""
CHOICES = {"--format": ("text", "json", "markdown", "github"), "--lang": ("zh", "en"), "--color": ("auto", "always", "never")}
VALUED = ("--probe", "--format", "--lang", "--site-url", "--top", "--explain", "--color")
SHORT = {"-p": "--probe", "-f": "--format", "-l": "--lang", "-n": "--top", "-e": "--explain"}


class Args:
    """The parsed command line (argparse is not used: it alone would double kb-match's start-up)."""

    def __init__(self) -> None:
        self.files: list[str] = []
        self.probe: str | None = None
        self.lang: str | None = None
        self.site_url: str | None = None
        self.explain: str | None = None
        self.color = "auto"
        self.probe_here = False
        self.version = False
        self.format = "text"
        self.top = 3
        self.help = False


def _top(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise UsageError(f"argument --top: must be a whole number of causes, 1 or more (got {value!r}); "
                         f"see {PROG} --help")
    return number


def parse_args(argv: list[str]) -> Args:
    args = Args()
    items = list(argv)
    while items:
        item = items.pop(0)
        if item == "--":
            args.files.extend(items)
            break
        if item in ("-h", "--help"):
            args.help = True
            continue
        if item in ("-V", "--version"):
            args.version = True
            continue
        if item[:2] in SHORT:  # -f json, -fjson
            items[:0] = [item[2:]] if len(item) > 2 else []
            item = SHORT[item[:2]]
        if item == "--probe-here":
            args.probe_here = True
            continue
        name, _, inline = item.partition("=") if item.startswith("--") else (item, "", "")
        if name in VALUED:
            if inline or "=" in item:
                value = inline
            elif items:
                value = items.pop(0)
            else:
                raise UsageError(f"argument {name}: expected one argument; see {PROG} --help")
            if name in CHOICES and value not in CHOICES[name]:
                options = ", ".join(repr(c) for c in CHOICES[name])
                raise UsageError(f"argument {name}: invalid choice: {value!r} (choose from {options}); "
                                 f"see {PROG} --help")
            attribute = name[2:].replace("-", "_")
            setattr(args, attribute, _top(value) if name == "--top" else value)
            continue
        if item.startswith("-") and item != "-":
            raise UsageError(f"unrecognized arguments: {item}; see {PROG} --help")
        args.files.append(item)
    return args


def one_line(text: str) -> str:
    """Control characters (a newline in a file name or a probe key) shown escaped, never raw."""
    return "".join(ch if ch >= " " and ch != "\x7f" else f"\\x{ord(ch):02x}" for ch in text)
