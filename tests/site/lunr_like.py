"""A small Python model of Material's client-side search, enough to test the built indexes.

What it reproduces from Material 9.7's search worker: text split by the configured separator
(jieba's \\u200b included), runs of Han characters in the query segmented greedily against the
index's own vocabulary, and every query term matched as a prefix (Material appends `*`).
Ranking is a plain count of matched terms, title hits weighing more; the real ranking is checked
in the browser tests.
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
TRIM = re.compile(r"^[^\w\u4e00-\u9fa5]+|[^\w\u4e00-\u9fa5]+$")


@dataclass
class Index:
    separator: re.Pattern
    docs: list[dict]
    tokens: list[tuple[set[str], set[str]]] = field(default_factory=list)  # (title, text) per doc
    vocabulary: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, path: Path) -> Index:
        data = json.loads(path.read_text(encoding="utf-8"))
        index = cls(re.compile(data["config"]["separator"]), data["docs"])
        for doc in index.docs:
            title = index.tokenize(doc.get("title", ""))
            text = index.tokenize(doc.get("text", ""))
            index.tokens.append((title, text))
            index.vocabulary |= title | text
        return index

    def tokenize(self, value: str) -> set[str]:
        value = html.unescape(re.sub(r"<[^>]+>", " ", value)).lower()
        return {t for t in (TRIM.sub("", part) for part in self.separator.split(value)) if t}

    def segment(self, run: str) -> list[str]:
        """Material's `segment()`: longest index words at each position, minimal overlap."""
        cuts = [0] * len(run)
        for i in range(len(run)):
            for j in range(i + 1, len(run)):
                if run[i:j] in self.vocabulary:
                    cuts[i] = j - i
        segments, stack = [], [0]
        while stack:
            p = stack.pop()
            for q in range(1, cuts[p]):
                if cuts[p + q] > cuts[p] - q:
                    segments.append(run[p:p + q])
                    stack.append(p + q)
            q = p + cuts[p]
            if q < len(run) and cuts[q] and q < len(run) - 1:
                stack.append(q)
            segments.append(run[p:q])
        return [run] if "" in segments else list(dict.fromkeys(segments))

    def terms(self, query: str) -> list[str]:
        query = HAN.sub(lambda m: " ".join(self.segment(m.group())), query)
        out = []
        for part in query.split():
            out += [t for t in (TRIM.sub("", p) for p in self.separator.split(part.lower())) if t]
        return list(dict.fromkeys(out))

    def search(self, query: str) -> list[tuple[float, str, set[str]]]:
        """(score, page location, matched terms) for every page with a hit, best first."""
        terms = self.terms(query)
        pages: dict[str, tuple[float, set[str]]] = {}
        for doc, (title, text) in zip(self.docs, self.tokens, strict=True):
            matched, score = set(), 0.0
            for term in terms:
                if any(t.startswith(term) for t in title):
                    matched.add(term)
                    score += 10
                elif any(t.startswith(term) for t in text):
                    matched.add(term)
                    score += 1
            if matched:
                page = doc["location"].split("#")[0]
                best, seen = pages.get(page, (0.0, set()))
                pages[page] = (max(best, score), seen | matched)
        ranked = sorted(((s, p, m) for p, (s, m) in pages.items()), key=lambda r: (-len(r[2]), -r[0], r[1]))
        return ranked
