"""Trained models shipped as package data, and their versions.

``claims/`` is the claim-sentence classifier (see
:mod:`extract.kinds.claim_model`); ``claims.cfg`` is the spaCy config it is
trained from (``make train-claims``).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

MODELS = Path(__file__).resolve().parent


def model_version(name: str) -> str:
    """The first 8 hex digits of a sha256 over a model folder's file names and bytes.

    It joins the extractor version, so a retrained model refreshes every store.
    """
    digest = hashlib.sha256()
    root = MODELS / name
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]
