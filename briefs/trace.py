"""Trace a built brief's claims back to the corpus, and re-check each one.

A claim holds while its document still has the mention at ``start:end`` and
the quoted sentence at ``quote_start:quote_end``. The document is read as it is
now, whether or not it still matches the manifest's sha256: the question is
whether the quote still stands, not whether the file was touched.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from briefs.errors import TraceError
from extract.corpus import Corpus
from extract.errors import ExtractError
from extract.readers import read_document


@dataclass(frozen=True, slots=True)
class ClaimCheck:
    """One claim and whether its source still says it."""

    claim: dict[str, object]
    holds: bool
    reason: str = ""


def load_claims(version_dir: Path) -> list[dict[str, object]]:
    """The claims of a built version."""
    path = version_dir / "claims.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TraceError(
            f"{path}: not found; is {version_dir} a built brief version?"
        ) from None
    except json.JSONDecodeError as e:
        raise TraceError(f"{path}: not valid JSON (line {e.lineno})") from None
    claims = data.get("claims") if isinstance(data, dict) else None
    if not isinstance(claims, list):
        raise TraceError(f"{path}: no 'claims' list")
    return claims


def trace(
    version_dir: Path, corpus: Corpus, claim_id: str | None = None
) -> list[ClaimCheck]:
    """Check every claim (or one) of a built version against the corpus."""
    claims = load_claims(version_dir)
    if claim_id is not None:
        claims = [c for c in claims if c.get("claim") == claim_id]
        if not claims:
            raise TraceError(f"{version_dir / 'claims.json'}: no claim '{claim_id}'")
    texts: dict[str, str | ExtractError] = {}
    return [check(c, corpus, texts) for c in claims]


def document_text(
    corpus: Corpus, doc_id: str, cache: dict[str, str | ExtractError]
) -> str | ExtractError:
    """A corpus document's current text (or why it cannot be read), read once."""
    if doc_id not in cache:
        try:
            cache[doc_id] = read_document(corpus.path_of(corpus.get(doc_id))).text
        except ExtractError as e:
            cache[doc_id] = e
    return cache[doc_id]


def check(
    claim: dict[str, object], corpus: Corpus, cache: dict[str, str | ExtractError]
) -> ClaimCheck:
    """Does the claim's document still hold its mention and quote at their offsets?"""
    text = document_text(corpus, str(claim["doc"]), cache)
    if isinstance(text, ExtractError):
        return ClaimCheck(claim, False, f"document unreadable: {text.message}")
    start, end = int(claim["start"]), int(claim["end"])  # type: ignore[call-overload]
    qs, qe = int(claim["quote_start"]), int(claim["quote_end"])  # type: ignore[call-overload]
    if text[qs:qe] != claim["quote"]:
        now = " ".join(text[qs:qe].split())[:80]
        return ClaimCheck(claim, False, f'quote no longer at {qs}:{qe} (now: "{now}")')
    if text[start:end] != claim["rendered"]:
        return ClaimCheck(
            claim, False, f"'{claim['rendered']}' no longer at {start}:{end}"
        )
    return ClaimCheck(claim, True)
