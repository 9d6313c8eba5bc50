#!/usr/bin/env python3
"""The markdown-it-py floor: render every distinct source file once, nothing else.

Uses the parser the app configures (:class:`policypress.render.Renderer`, so
the plugins match), in one process, with no Flask.  Prints JSON on stdout.

    python benchmarks/floor.py --content /tmp/content
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from pathlib import Path

from policypress.config import load_config
from policypress.errors import Problems
from policypress.render import Renderer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--content", type=Path, required=True)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    config = load_config(args.content / "site.yaml", Problems(args.content))
    assert config is not None, "the generated site.yaml must be valid"
    md = Renderer(config.region_ids).md
    sources: dict[str, str] = {}
    for path in sorted(args.content.rglob("*.md")):
        data = path.read_bytes()
        sources.setdefault(hashlib.sha256(data).hexdigest(), data.decode("utf-8"))
    loaded, cpu = time.perf_counter(), time.process_time()
    html_bytes = sum(len(md.render(text)) for text in sources.values())
    rendered, cpu = time.perf_counter(), time.process_time() - cpu
    result = {
        "sources": len(sources),
        "markdown_bytes": sum(len(text.encode()) for text in sources.values()),
        "html_bytes": html_bytes,
        "read_seconds": loaded - started,
        "render_seconds": rendered - loaded,
        "render_cpu_seconds": cpu,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
