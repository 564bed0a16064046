"""Build hook: compile kb/ into nskb/data/index.json, so an installed kb-match reads no YAML.

Everything else about the package is declared in pyproject.toml. Two commands are extended:

- build_py (wheels, regular installs): writes the index into the build directory. Needs PyYAML
  and google-re2 at build time, hence their place in pyproject's [build-system] requires.
- sdist: writes the index into the source tree it packs, so an sdist builds without kb/.

Editable installs skip the hook: kb-match rebuilds src/nskb/data/index.json itself whenever kb/
is newer than it.
"""
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

ROOT = Path(__file__).resolve().parent
KB = ROOT / "kb"


def _compile(out: Path) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    try:
        from nskb.index.build import build_index
    finally:
        sys.path.pop(0)
    index = build_index(KB, out)
    print(f"nskb: compiled {len(index['symptoms'])} symptoms, {len(index['causes'])} causes and "
          f"{len(index['fixes'])} fixes into {out}")


class BuildPyWithIndex(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        out = Path(self.build_lib) / "nskb" / "data" / "index.json"
        if (KB / "symptoms").is_dir():
            _compile(out)
        elif not out.exists():
            raise SystemExit("setup.py: neither kb/ nor a compiled nskb/data/index.json is here; "
                             "build from a source checkout or from an nskb sdist")


class SdistWithIndex(sdist):
    def make_release_tree(self, base_dir, files):
        super().make_release_tree(base_dir, files)
        if (KB / "symptoms").is_dir():
            _compile(Path(base_dir) / "src" / "nskb" / "data" / "index.json")


setup(cmdclass={"build_py": BuildPyWithIndex, "sdist": SdistWithIndex})
