"""Imported once by the batch forkserver, so that every per-file child starts with the parsers,
the classifier and the language models already loaded (copy-on-write), instead of paying for
them on each file. Only single-threaded calls here: threads do not survive a fork."""

from __future__ import annotations

import contextlib
import json
import os

import numpy  # noqa: F401
import pandas  # noqa: F401
import pypdfium2  # noqa: F401

from ..classify import load_model, model_dir
from ..classify.cascade import member_dir
from ..segment.language import detect_language

if os.environ.get("FINDINGS_MINER_SKIP_PRELOAD") != "1":
    # best effort: a missing or broken model must not kill the forkserver (run_batch checks the
    # model before it starts; children report anything else per file)
    with contextlib.suppress(Exception):
        directory = model_dir(os.environ.get("FINDINGS_MINER_BATCH_MODEL") or None)
        meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
        if meta.get("kind") == "cascade":  # warm the fast member; the children load the rest
            directory = member_dir(directory, meta["fast"])
            meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
        # a sentence-embedding engine is left to the children: they limit OpenMP to one thread
        # before it loads, which the runtime reads only once, at load
        if not meta["params"].get("sentence_embeddings"):
            load_model(str(directory))
    detect_language("warm up the language models before forking the workers")
