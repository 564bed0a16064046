"""One failing fixture per kb-lint code: exactly that code, at the expected line and column."""
import shutil
from pathlib import Path

import pytest

from nskb.lint import validate_kb
from nskb.lint.codes import CODES

DATA = Path(__file__).resolve().parents[1] / "data"
INVALID = DATA / "invalid"

# code: (where the fixture goes in the mini KB, file the problem is reported in, line, col)
EXPECT = {
    "KB001": ("symptoms/mini-other.yml", None, 1, 1),
    "KB002": (None, None, 21, 26),
    "KB003": (None, None, 3, 6),
    "KB004": (None, None, 1, 1),
    "KB005": (None, None, 1, 1),
    "KB006": (None, None, 5, 9),
    "KB007": (None, None, 5, 1),
    "KB008": (None, None, 3, 7),
    "KB009": (None, None, 1, 1),
    "KB010": (None, None, 3, 7),
    "KB011": (None, None, 1, 1),
    "KB012": (None, None, 2, 5),
    "KB013": ("fixes/mini-cause.yaml", None, 2, 5),
    "KB014": (None, None, 12, 44),
    "KB015": ("causes/mini-cause.yaml", None, 5, 11),
    "KB016": ("causes/mini-lonely-cause.yaml", None, 2, 5),
    "KB017": ("causes/mini-cause.yaml", "symptoms/mini-symptom.yaml", 13, 15),
    "KB018": (None, None, 14, 5),
    "KB019": ("causes/mini-cause.yaml", None, 14, 24),
    "KB020": ("causes/mini-cause.yaml", None, 9, 35),
    "KB101": (None, None, 6, 5),
    "KB102": (None, None, 7, 5),
    "KB103": (None, None, 6, 5),
    "KB104": (None, None, 10, 7),
    "KB105": (None, None, 12, 7),
    "KB106": ("symptoms/mini-twin.yaml", None, 9, 7),
    "KB107": ("good-logs/KB107.log", None, 2, 1),
    "KB108": (None, None, 6, 5),
    "KB109": (None, None, 7, 5),
    "KB201": (None, None, 16, 3),
    "KB202": (None, None, 18, 14),
    "KB203": (None, None, 18, 14),
    "KB204": (None, None, 18, 14),
    "KB205": (None, None, 21, 14),
    "KB206": (None, None, 18, 14),
    "KB207": (None, None, 18, 14),
    "KB208": ("causes/mini-cause.yaml", None, 9, 22),
    "KB209": ("tools.yaml", None, 4, 11),
    "KB210": ("tools.yaml", None, 8, 18),
}
EXTRA_FILES = {"KB019": {"fixes/mini-fix-high.yaml": "KB019-fix.yaml"}}
DEFAULT_TARGET = "symptoms/mini-symptom.yaml"


@pytest.fixture
def mini_kb(tmp_path):
    root = tmp_path / "kb"
    shutil.copytree(DATA / "mini-kb", root)  # follows the schema/ link into the real schemas
    return root


def fixture_file(code: str) -> Path:
    matches = [p for p in INVALID.iterdir() if p.stem == code]
    assert len(matches) == 1, f"one fixture for {code} in {INVALID}"
    return matches[0]


def test_mini_kb_is_clean(mini_kb):
    _, problems = validate_kb(mini_kb)
    assert problems == []


@pytest.mark.parametrize("code", sorted(EXPECT))
def test_fixture_reports_exactly_its_code(mini_kb, code):
    target, reported_in, line, col = EXPECT[code]
    data = fixture_file(code).read_bytes()
    if code == "KB004":
        data += b"#" * (300 * 1024)  # over the 256 KiB cap without storing a huge fixture
    (mini_kb / (target or DEFAULT_TARGET)).write_bytes(data)
    for dest, name in EXTRA_FILES.get(code, {}).items():
        (mini_kb / dest).write_bytes((INVALID / name).read_bytes())
    _, problems = validate_kb(mini_kb)
    assert problems, f"{code}: the fixture raised no problem"
    assert {p.code for p in problems} == {code}, [str(p) for p in problems]
    expected_file = reported_in or target or DEFAULT_TARGET
    places = {(Path(p.path).resolve().relative_to(mini_kb.resolve()).as_posix(), p.line, p.col) for p in problems}
    assert (expected_file, line, col) in places


def test_every_code_is_documented_and_has_a_fixture():
    assert set(CODES) == set(EXPECT)
    for code, doc in CODES.items():
        assert doc["title"]["zh"] and doc["title"]["en"] and doc["bad"] and doc["good"], code


def test_every_code_the_source_can_emit_is_documented():
    import re

    source = Path(__file__).resolve().parents[2] / "src" / "nskb"
    emitted = set()
    for path in list(source.glob("lint/*.py")) + [source / "kb" / "yamldoc.py", source / "kb" / "loader.py"]:
        emitted |= set(re.findall(r'"(KB\d{3})"', path.read_text()))
    assert emitted == set(CODES)


@pytest.mark.parametrize("test", ["matches", "not_matches"])
def test_a_where_pattern_re2_refuses_is_reported_for_either_test(mini_kb, test):
    data = fixture_file("KB020").read_text().replace(
        "where: {errno: EPERM, colour: red}", f"where: {{errno: EPERM, syscall: {{{test}: '^(?!unshare)'}}}}")
    (mini_kb / "causes/mini-cause.yaml").write_text(data)
    _, problems = validate_kb(mini_kb)
    assert [(p.code, "RE2 refuses" in p.message) for p in problems] == [("KB020", True)], [str(p) for p in problems]


FEATURES = """# yaml-language-server: $schema=schema/features.schema.json
records:
  - {kind: apparmor, marker: 'apparmor="', fields: [operation]}
failure:
  errno_forms: ['\\\\b(?P<name>EPERM)\\\\b']
  syscalls: [{name: unshare, pattern: '\\\\bunshare\\\\b'}]
  namespaces: [{name: user, pattern: 'CLONE_NEWUSER'}]
  objects: [{name: proc, pattern: '/proc\\\\b'}]
context: []
mentions:
  error_words: 'failed'
  topics:
    - {name: apparmor, pattern: '(?i)apparmor', absent: '(?i)apparmor(?! is)'}
    - {name: selinux, pattern: '(?i)selinux|'}
"""


def test_a_features_pattern_re2_refuses_or_that_matches_nothing_is_reported(mini_kb):
    # kb-match compiles these lazily, on a user's log: kb-lint must refuse them first.
    (mini_kb / "features.yaml").write_text(FEATURES)
    _, problems = validate_kb(mini_kb)
    assert [(p.path.endswith("features.yaml"), p.line, p.code) for p in problems] == \
        [(True, 13, "KB101"), (True, 14, "KB109")], [str(p) for p in problems]


def test_a_signal_pattern_re2_refuses_is_reported(mini_kb):
    # Signals are read from lines without an errno: their patterns run on every such line.
    features = FEATURES.replace("  objects: [{name: proc, pattern: '/proc\\\\b'}]\n",
                                "  objects: [{name: proc, pattern: '/proc\\\\b'}]\n  signals: [{name: SIGSYS, pattern: 'Bad(?! luck) system call'}]\n")
    features = features.replace("|'}", "'}").replace("(?! is)", "")  # only the problem this test is about
    (mini_kb / "features.yaml").write_text(features)
    _, problems = validate_kb(mini_kb)
    assert [(p.code, p.line) for p in problems] == [("KB101", 9)], [str(p) for p in problems]


def _write_failure_keys(mini_kb: Path, keys: str, objects: str = "{name: proc, pattern: '/proc\\\\b'}") -> None:
    """features.yaml with these objects and further `failure` keys, and without the pattern
    problems of FEATURES (only the problems a test is about)."""
    features = FEATURES.replace("  objects: [{name: proc, pattern: '/proc\\\\b'}]\n", f"  objects: [{objects}]\n{keys}")
    (mini_kb / "features.yaml").write_text(features.replace("|'}", "'}").replace("(?! is)", ""))


@pytest.mark.parametrize("key", ["confinement_objects", "file_objects"])
def test_a_confinement_or_file_object_must_be_a_declared_object(mini_kb, key):
    _write_failure_keys(mini_kb, f"  {key}: [proc, landlock]\n")
    _, problems = validate_kb(mini_kb)
    assert [(p.code, "'landlock'" in p.message, p.line) for p in problems] == [("KB014", True, 9)], [str(p) for p in problems]


def test_other_work_names_declared_syscalls_and_objects(mini_kb):
    _write_failure_keys(mini_kb, "  other_work: {syscalls: [statx], objects: [proc, landlock]}\n")
    _, problems = validate_kb(mini_kb)
    assert sorted((p.code, p.message.split("'")[1]) for p in problems) == [("KB014", "landlock"), ("KB014", "statx")], \
        [str(p) for p in problems]


def test_a_path_object_must_be_other_work_and_a_causes_other_work_a_declared_name(mini_kb):
    # A path object is an object of other work; a cause lists only names other work declares.
    _write_failure_keys(mini_kb, "  other_work: {syscalls: [unshare], objects: [path], path_objects: [path, proc], errnos: [EPERM]}\n",
                        objects="{name: proc, pattern: '/proc\\\\b'}, {name: path, pattern: 'ls: '}")
    data = fixture_file("KB020").read_text().replace("where: {errno: EPERM, colour: red}", "where: {errno: EPERM}")
    (mini_kb / "causes/mini-cause.yaml").write_text(data.replace("evidence:\n", "other_work: [unshare, thread, EPERM, mount]\nevidence:\n"))
    _, problems = validate_kb(mini_kb)
    assert sorted((p.code, p.message.split("'")[1]) for p in problems) == [("KB014", "proc"), ("KB020", "mount")], \
        [str(p) for p in problems]


def test_an_evidence_rules_facts_use_documented_keys_and_values(mini_kb):
    # A value no probe reports (or a key nothing sets) would make the rule dead without a word.
    rule = "where: {errno: EPERM}\n    facts: [{fact: chroot, in: [\"yes\", \"maybe\"]}]"
    data = fixture_file("KB020").read_text().replace("where: {errno: EPERM, colour: red}", rule)
    (mini_kb / "causes/mini-cause.yaml").write_text(data)
    _, problems = validate_kb(mini_kb)
    assert [(p.code, "'maybe'" in p.message, p.line) for p in problems] == [("KB015", True, 10)], [str(p) for p in problems]
    # A fact that only a log gives (features.yaml context) is known, with the values it sets.
    (mini_kb / "features.yaml").write_text(FEATURES.replace(
        "context: []", "context:\n  - {fact: ci.provider, value: github-actions, pattern: 'GITHUB_ACTIONS=true', source: env}"))
    (mini_kb / "causes/mini-cause.yaml").write_text(data.replace(
        '{fact: chroot, in: ["yes", "maybe"]}', "{fact: ci.provider, equals: github-actions}"))
    _, problems = validate_kb(mini_kb)
    assert [p.code for p in problems if p.code == "KB015"] == []


def test_a_fact_a_log_gives_by_a_name_has_the_values_the_names_stand_for(mini_kb):
    # A context pattern whose group is a name (a release's code name) sets only the values listed.
    rule = "where: {errno: EPERM}\n    facts: [{fact: distro.version, in: [\"12\", \"13\"]}]"
    data = fixture_file("KB020").read_text().replace("where: {errno: EPERM, colour: red}", rule)
    (mini_kb / "causes/mini-cause.yaml").write_text(data)
    features = FEATURES.replace("|'}", "'}").replace("(?! is)", "")  # only the problem this test is about
    (mini_kb / "features.yaml").write_text(features.replace(
        "context: []", "context:\n  - {fact: distro.version, pattern: 'debian (bookworm)', values: {bookworm: \"12\"}, source: prose}"))
    _, problems = validate_kb(mini_kb)
    assert [(p.code, "'13'" in p.message) for p in problems] == [("KB015", True)], [str(p) for p in problems]


def test_a_context_entry_gives_a_fixed_value_or_a_map_not_both(mini_kb):
    features = FEATURES.replace("|'}", "'}").replace("(?! is)", "")  # only the problem this test is about
    (mini_kb / "features.yaml").write_text(features.replace(
        "context: []", "context:\n  - {fact: distro.version, value: \"12\", pattern: 'debian (bookworm)', values: {bookworm: \"12\"}, source: prose}"))
    _, problems = validate_kb(mini_kb)
    assert [p.code for p in problems] == ["KB010"], [str(p) for p in problems]
