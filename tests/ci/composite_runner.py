"""Run a composite action's steps the way the GitHub runner does, on this machine.

What the runner does for each `run` step, and what this copies:
  - evaluates `${{ ... }}` in `env` and `run` before the shell sees them (here: `inputs.*` with
    their defaults, `github.action_path`, `steps.<id>.outputs.*`; anything else is an error, so an
    expression the test does not know cannot pass unnoticed);
  - writes the script to a file and runs `bash --noprofile --norc -eo pipefail FILE` (the `bash`
    shell template) in GITHUB_WORKSPACE;
  - gives each step fresh GITHUB_ENV, GITHUB_OUTPUT, GITHUB_PATH and GITHUB_STEP_SUMMARY files and
    reads them afterwards: `KEY=value` or `KEY<<DELIM` blocks; env and path apply to later steps,
    outputs become steps.<id>.outputs, the summary is appended to the job's.
"""
from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import yaml

_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
STEP_TIMEOUT = 300


@dataclass
class StepResult:
    name: str
    returncode: int
    stdout: str
    stderr: str


@dataclass
class ActionRun:
    steps: list[StepResult] = field(default_factory=list)
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    summary: str = ""


def parse_file_commands(text: str) -> dict[str, str]:
    """`KEY=value` lines and `KEY<<DELIM ... DELIM` blocks, as in GITHUB_ENV and GITHUB_OUTPUT."""
    values: dict[str, str] = {}
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            key, delimiter = line.split("<<", 1)
            end = lines.index(delimiter, i + 1)
            values[key] = "\n".join(lines[i + 1:end])
            i = end + 1
            continue
        if line.strip():
            key, _, value = line.partition("=")
            values[key] = value
        i += 1
    return values


class CompositeRunner:
    def __init__(self, action_dir: Path, workspace: Path, temp: Path, base_env: dict[str, str]):
        self.action_dir, self.workspace, self.temp = action_dir, workspace, temp
        self.action = yaml.safe_load((action_dir / "action.yml").read_text())
        assert self.action["runs"]["using"] == "composite"
        self.env = {**base_env, "GITHUB_ACTIONS": "true", "CI": "true", "RUNNER_OS": "Linux",
                    "RUNNER_TEMP": str(temp), "GITHUB_WORKSPACE": str(workspace),
                    "GITHUB_ACTION_PATH": str(action_dir)}

    def _evaluate(self, text: str, inputs: dict[str, str], run: ActionRun) -> str:
        def value(match: re.Match) -> str:
            expr = match.group(1)
            if expr == "github.action_path":
                return str(self.action_dir)
            parts = expr.split(".")
            if parts[0] == "inputs" and len(parts) == 2 and parts[1] in self.action["inputs"]:
                return inputs.get(parts[1], str(self.action["inputs"][parts[1]].get("default", "")))
            if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
                return run.outputs.get(parts[1], {}).get(parts[3], "")
            raise AssertionError(f"expression this runner does not evaluate: ${{{{ {expr} }}}}")
        return _EXPR.sub(value, text)

    def run(self, inputs: dict[str, str]) -> ActionRun:
        for name, spec in self.action["inputs"].items():
            if spec.get("required") and name not in inputs:
                raise AssertionError(f"input {name} is required")
        result = ActionRun()
        env = dict(self.env)
        for n, step in enumerate(self.action["runs"]["steps"]):
            assert "run" in step and step.get("shell") == "bash", f"step {n}: only bash run steps are used"
            files = {k: self.temp / f"step{n}-{k.lower()}" for k in ("GITHUB_ENV", "GITHUB_OUTPUT", "GITHUB_PATH",
                                                                     "GITHUB_STEP_SUMMARY")}
            for path in files.values():
                path.write_text("")
            script = self.temp / f"step{n}.sh"
            script.write_text(self._evaluate(step["run"], inputs, result))
            step_env = {**env, **{k: str(v) for k, v in files.items()},
                        **{k: self._evaluate(str(v), inputs, result) for k, v in (step.get("env") or {}).items()}}
            done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], env=step_env,
                                  cwd=self.workspace, capture_output=True, text=True, timeout=STEP_TIMEOUT, check=False)
            result.steps.append(StepResult(step.get("name", f"step {n}"), done.returncode, done.stdout, done.stderr))
            if done.returncode != 0:
                break
            env.update(parse_file_commands(files["GITHUB_ENV"].read_text()))
            added = [p for p in files["GITHUB_PATH"].read_text().splitlines() if p]
            if added:
                env["PATH"] = os.pathsep.join([*reversed(added), env.get("PATH", "")])
            if step.get("id"):
                result.outputs[step["id"]] = parse_file_commands(files["GITHUB_OUTPUT"].read_text())
            result.summary += files["GITHUB_STEP_SUMMARY"].read_text()
        return result
