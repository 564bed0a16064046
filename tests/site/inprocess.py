"""kb-match's `main` run in the test process: the code path its console script takes, without
starting Python once per call. Tests that run it hundreds of times use this and keep a sample
running as a separate process, which must print the same."""
from __future__ import annotations

import io
import os
import sys


def kb_match_main(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `kb-match ARGS`, with `env` added to the environment."""
    from nskb.cli.match import main

    out, err = (io.TextIOWrapper(io.BytesIO(), encoding="utf-8") for _ in range(2))
    saved_streams, saved_env = (sys.stdout, sys.stderr), dict(os.environ)
    sys.stdout, sys.stderr = out, err
    os.environ.update(env or {})
    try:
        code = main(args)
    finally:
        sys.stdout, sys.stderr = saved_streams
        os.environ.clear()
        os.environ.update(saved_env)
    out.flush()
    err.flush()
    return code, out.buffer.getvalue().decode("utf-8"), err.buffer.getvalue().decode("utf-8")
