"""The query table (data/search_queries.yaml) and a runner for the site's real search worker
under Node (search_node.js): the same ranking the browser shows, over a built index."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
LANG_PREFIX = {"zh": "", "en": "en"}


def query_table() -> list[tuple[str, str, str]]:
    """(lang, query, expected first page or 'any') for every row, in both languages."""
    rows = yaml.safe_load((HERE / "data/search_queries.yaml").read_text(encoding="utf-8"))
    return [(lang, row["query"], row["first"]) for row in rows for lang in row.get("langs", ["zh", "en"])]


def run_queries(node: str, site: Path, lang: str, queries: list[str]) -> dict[str, list[str]]:
    """{query: result page paths, best first} from nskb-search.js + Material's worker."""
    done = subprocess.run([node, str(HERE / "search_node.js"), str(site), LANG_PREFIX[lang]],
                          input=json.dumps(queries), capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise AssertionError(f"search_node.js failed ({done.returncode}): {done.stderr[-2000:]}")
    return json.loads(done.stdout)
