"""parse_probe_output on literal probe outputs (one per kind of environment) and on broken input."""
from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.probe.probe_helpers import SAMPLES, catalogue_keys, known_keys, undocumented

from nskb.probe.parse import KEY_RE, MAX_INPUT_CHARS, MAX_VALUE_CHARS, ProbeResult, parse_probe_output
from nskb.probe.run import format_json, format_markdown, format_text


def texts(result: ProbeResult) -> list[str]:
    """The warnings as kb-probe prints them."""
    return [str(w) for w in result.warnings]

# What identifies each environment, as the probe reports it.
EXPECTED = {
    "plain-host": {"container.runtime": "none", "chroot": "no", "seccomp.mode": "0", "userns.create": "ok",
                   "userns.map_write": "ok", "userns.proc_mount": "ok"},
    "docker": {"container.runtime": "docker", "container.signal": "/.dockerenv", "seccomp.mode": "2",
               "apparmor.profile": "docker-default", "cap.sys_admin.bounding": "no", "proc.masked": "yes",
               "userns.create": "EPERM", "userns.map_write": "skipped"},
    "podman-rootless": {"container.runtime": "podman", "container.signal": "/run/.containerenv",
                        "process.in_userns": "yes", "selinux.mode": "unknown:no-selinuxfs",
                        "selinux.context": "system_u:system_r:container_t:s0:c161,c782",
                        "sysctl.user.max_user_namespaces": "2147483647", "userns.create": "EPERM"},
    "kubernetes": {"container.runtime": "kubernetes", "container.signal": "cgroup:kubepods", "seccomp.mode": "0",
                   "proc.masked": "yes", "proc.sys_readonly": "yes", "userns.create": "ok",
                   "userns.proc_mount": "EPERM"},
    "flatpak": {"container.runtime": "flatpak", "container.signal": "/.flatpak-info", "process.in_userns": "yes",
                "process.no_new_privs": "1", "seccomp.mode": "2", "cap.sys_admin.bounding": "no",
                "userns.create": "EPERM"},
    "chroot-schroot": {"chroot": "yes", "chroot.signal": "ancestor-mountinfo", "seccomp.mode": "0",
                       "sysctl.kernel.unprivileged_userns_clone": "1", "userns.create": "EPERM"},
    "ubuntu-24.04-apparmor": {"os.id": "ubuntu", "os.version_id": "24.04",
                              "sysctl.kernel.apparmor_restrict_unprivileged_userns": "1",
                              "userns.create": "ok", "userns.map_write": "EPERM", "userns.proc_mount": "skipped"},
    "wsl2": {"container.runtime": "wsl", "container.signal": "kernel.release:microsoft",
             "kernel.release": "5.15.153.1-microsoft-standard-WSL2", "userns.create": "ok"},
    "rhel7": {"os.id": "rhel", "sysctl.user.max_user_namespaces": "0", "seccomp.filters": "unknown:no-field",
              "selinux.mode": "enforcing", "userns.create": "ENOSPC"},
    "alpine-bwrap-only": {"userns.tool": "bwrap", "bwrap.caps": "unknown:no-getcap", "userns.create": "ok",
                          "userns.proc_mount": "EACCES"},
    "systemd-restrict-namespaces": {"systemd.unit": "builder.service", "process.no_new_privs": "1",
                                    "seccomp.mode": "2", "userns.create": "EPERM", "chroot": "no"},
}

LINE_WARNING = re.compile(r"^line [0-9]+: ")
END = "# nskb-probe/1 end\n"


def sample(name: str) -> str:
    return (SAMPLES / f"{name}.txt").read_text(encoding="utf-8")


def test_every_sample_has_expectations() -> None:
    assert sorted(p.stem for p in SAMPLES.glob("*.txt")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample(name: str) -> None:
    result = parse_probe_output(sample(name), known_keys())
    assert result.warnings == []
    assert list(result.facts) == catalogue_keys()
    assert {k: result.facts[k] for k in EXPECTED[name]} == EXPECTED[name]
    assert undocumented(result.facts) == []


def test_crlf_is_read_and_reported() -> None:
    text = sample("docker").replace("\n", "\r\n")
    result = parse_probe_output(text, known_keys())
    assert result.facts == parse_probe_output(sample("docker")).facts
    assert texts(result) == ["line 1: CRLF line endings; the carriage returns are ignored"]


def test_duplicate_keys_keep_the_first() -> None:
    result = parse_probe_output("# nskb-probe/1\nchroot=yes\nseccomp.mode=2\nchroot=no\nseccomp.mode=2\n" + END)
    assert result.facts == {"chroot": "yes", "seccomp.mode": "2"}
    assert [w.as_dict() for w in result.warnings] == [
        {"code": "repeat-conflict", "line": 4, "key": "chroot", "first": 2, "value": "no", "kept": "yes"},
        {"code": "repeat", "line": 5, "key": "seccomp.mode", "first": 3},
    ]
    assert texts(result) == [
        "line 4: chroot repeats line 2 with a different value ('no'); kept 'yes'",
        "line 5: seccomp.mode repeats line 3",
    ]


def test_unknown_keys_warn_only_when_keys_are_given() -> None:
    text = "# nskb-probe/1\nchroot=no\nprobe.shell=dash\n" + END
    assert parse_probe_output(text).warnings == []
    result = parse_probe_output(text, known_keys())
    assert result.facts == {"chroot": "no", "probe.shell": "dash"}
    assert texts(result) == ["line 3: unknown key probe.shell (not in kb/facts.yaml); kept",
                             f"line 5: {len(catalogue_keys()) - 1} of {len(catalogue_keys())} facts are missing "
                             "(apparmor.enabled, apparmor.mode, apparmor.profile, ...); paste the whole probe output"]


def test_huge_value_is_cut() -> None:
    result = parse_probe_output("# nskb-probe/1\n\nsystemd.unit=" + "x" * 5000 + "\n" + END)
    assert result.facts["systemd.unit"] == "x" * MAX_VALUE_CHARS
    assert texts(result) == [f"line 3: the value of systemd.unit is 5000 characters long; kept the first {MAX_VALUE_CHARS}"]


def test_missing_header() -> None:
    result = parse_probe_output("chroot=yes\n")
    assert result.facts == {"chroot": "yes"}
    assert texts(result) == ["line 1: the '# nskb-probe/1' header is missing (paste the whole probe output)"]


def test_malformed_lines_are_skipped_with_their_line_number() -> None:
    text = "# nskb-probe/1\nchroot=yes\nthis is not a fact\nChroot=no\n=x\nseccomp.mode=\n  userns.create = EPERM  \n" + END
    result = parse_probe_output(text)
    assert result.facts == {"chroot": "yes", "seccomp.mode": "unknown:empty", "userns.create": "EPERM"}
    assert texts(result) == [
        "line 3: not a key=value line: 'this is not a fact'",
        "line 4: 'Chroot' is not a fact key (lower-case words joined by dots)",
        "line 5: '' is not a fact key (lower-case words joined by dots)",
        "line 6: seccomp.mode has an empty value; stored as unknown:empty",
    ]


def test_control_characters_and_other_versions() -> None:
    result = parse_probe_output("# nskb-probe/2\nsystemd.unit=a\x00b\x1b[31m\n" + END)
    assert result.facts == {"systemd.unit": "a?b?[31m"}
    assert texts(result) == [
        "line 1: format nskb-probe/2 is not known; read as nskb-probe/1",
        "line 2: control characters, line breaks or lone surrogates in the value of systemd.unit were replaced by '?'",
    ]


def test_input_size_is_capped() -> None:
    line = "sysctl.user.max_user_namespaces=0\n"
    text = "# nskb-probe/1\nchroot=yes\n" + line * (MAX_INPUT_CHARS // len(line) + 10)
    result = parse_probe_output(text)
    assert result.facts == {"chroot": "yes", "sysctl.user.max_user_namespaces": "0"}
    cut = [str(w) for w in result.warnings if w.code == "too-large"]
    assert len(cut) == 1
    first_ignored = int(cut[0].split(":")[0].split()[1])
    whole_lines = (MAX_INPUT_CHARS - len("# nskb-probe/1\nchroot=yes\n")) // len(line)
    assert first_ignored == 2 + whole_lines + 1


def test_not_text() -> None:
    result = parse_probe_output(b"chroot=yes")  # type: ignore[arg-type]
    assert result.facts == {}
    assert texts(result) == ["line 1: expected text, got bytes"]


def test_markdown_and_json_round_trip() -> None:
    facts = parse_probe_output(sample("ubuntu-24.04-apparmor")).facts
    md = format_markdown(facts, [], redacted=False)
    assert "```text\n# nskb-probe/1\n" in md
    assert parse_probe_output(md, known_keys()).facts == facts
    # A pasted block surrounded by prose still yields the facts (with one warning per prose line).
    pasted = "Here is what the probe said:\n" + md
    assert parse_probe_output(pasted).facts == facts
    doc = format_json(facts, [])
    again = parse_probe_output(doc, known_keys())
    assert again.warnings == []
    assert again.facts == facts
    assert json.loads(doc)["format"] == "nskb-probe/1"


def test_json_problems() -> None:
    dup = '{"format": "nskb-probe/1", "facts": {\n "chroot": "yes",\n "chroot": "no",\n "seccomp.mode": 2}}'
    result = parse_probe_output(dup)
    assert result.facts == {"chroot": "yes", "seccomp.mode": "2"}
    assert texts(result) == [
        "line 3: chroot repeats with a different value ('no'); kept 'yes'",
        "line 4: the value of seccomp.mode is not a string; converted",
    ]
    flat = parse_probe_output('{"chroot": "no", "x": ["a"]}')
    assert flat.facts == {"chroot": "no"}
    assert texts(flat) == [
        'line 1: no "format": "nskb-probe/1" envelope; read the object as facts',
        "line 1: the value of x is a list, not a string; skipped",
    ]
    broken = parse_probe_output('{"format": "nskb-probe/1",\n "facts": {"chroot": }}')
    assert broken.facts == {}
    assert str(broken.warnings[0]).startswith("line 2: not valid JSON") and broken.warnings[0].code == "json-invalid"
    assert str(parse_probe_output("[1, 2]").warnings[0]) == "line 1: the JSON is not an object of facts"
    assert parse_probe_output("{" * 100000).facts == {}


def test_json_warnings_name_the_line_of_their_key() -> None:
    # Keys are found as JSON strings: written with non-ASCII characters, after a value holding `": `.
    text = '{"format": "nskb-probe/1", "facts": {\n "os.id": "a\\": b",\n "é": "x",\n "chroot": 5}}'
    result = parse_probe_output(text)
    assert result.facts == {"os.id": 'a": b', "chroot": "5"}
    assert texts(result) == ["line 3: 'é' is not a fact key (lower-case words joined by dots)",
                               "line 4: the value of chroot is not a string; converted"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400)
       | st.lists(st.sampled_from(["# nskb-probe/1", "chroot=yes", "chroot=no", "a.b=c", "=", "x", "\r", "{", "}",
                                    '"facts"', ":", "```", " ", "é=é"]), max_size=40).map("\n".join))
def test_never_raises(text: str) -> None:
    result = parse_probe_output(text, known_keys())
    for warning in result.warnings:
        assert LINE_WARNING.match(str(warning)), warning
        assert warning.message("zh") and warning.message("en")  # worded in both languages
    for key, value in result.facts.items():
        assert KEY_RE.match(key)
        assert 0 < len(value) <= MAX_VALUE_CHARS


# --- hostile input (issue 12, item 6) ---------------------------------------------------------

def test_truncated_output_is_reported() -> None:
    """300 bytes of a real output: the missing facts and the missing end line are both named."""
    cut = sample("docker")[:300]
    cut = cut[: cut.rindex("\n") + 1]
    result = parse_probe_output(cut, known_keys())
    assert not result.complete
    assert any("ends before the probe's '# nskb-probe/1 end' line" in w for w in texts(result))
    missing = len(catalogue_keys()) - len(result.facts)
    assert any(f"{missing} of {len(catalogue_keys())} facts are missing" in w for w in texts(result))


def _specs():
    from tests.fuzz.targets import _fact_specs

    return _fact_specs()


def test_values_outside_the_catalogue_are_reported() -> None:
    text = sample("docker").replace("chroot=no\n", "chroot=ye\n").replace("seccomp.filters=1", "seccomp.filters=x1")
    result = parse_probe_output(text, _specs())
    assert result.facts["chroot"] == "ye"  # kept: a newer probe may print a new value
    assert [w for w in texts(result) if "is not" in w] == [
        f"line {text.splitlines().index('seccomp.filters=x1') + 1}: the value of seccomp.filters ('x1') is not an integer; kept",
        f"line {text.splitlines().index('chroot=ye') + 1}: the value of chroot ('ye') is not one of no, unknown:unverified, yes; kept",
    ]
    assert [w for w in parse_probe_output(sample("docker"), _specs()).warnings] == []


def test_a_json_value_with_a_line_break_makes_no_new_fact() -> None:
    doc = json.dumps({"format": "nskb-probe/1", "facts": {"os.id": "debian\nchroot=yes", "chroot\n": "no"}})
    result = parse_probe_output(doc)
    assert result.facts == {"os.id": "debian?chroot=yes"}
    again = parse_probe_output(format_text(result.facts))
    assert again.facts == result.facts  # one line, one fact


def test_lone_surrogates_and_huge_numbers_do_not_raise() -> None:
    doc = '{"format": "nskb-probe/1", "facts": {"os.id": "\\ud800", "seccomp.filters": ' + "9" * 4300 + "}}"
    result = parse_probe_output(doc)
    assert result.facts == {"os.id": "?", "seccomp.filters": "9" * MAX_VALUE_CHARS}
    format_json(result.facts, result.warnings).encode("utf-8")
    for warning in texts(result):
        warning.encode("utf-8")
    assert parse_probe_output('{"facts": {"a": 1e999999, "b": NaN}}').facts == {"a": "1e999999", "b": "NaN"}
