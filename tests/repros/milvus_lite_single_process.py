"""With `store: milvus:FILE.db` (Milvus Lite) the writer keeps the file open for the engine's
life (MilvusBase.client, milvus_store.py:277), and Milvus Lite opens a .db in one process at
a time. Every reader process the engine's docstring promises (engine.py:7-8: "searches,
status ... in reader processes") then fails while the app or `framefind watch` runs:
`framefind status`, `framefind search --here` (or any search the socket does not answer),
a second window. The message blames the server ("Is it running?")."""

import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

from _common import photos, quiet, settings, tmpdir

quiet()
from indexer import build_engine

media = tmpdir("media")
photos(media, range(3))
s = replace(settings(tmpdir("data"), audio=None), store="milvus:vectors.db")
reader = textwrap.dedent(f"""
    import sys
    sys.path.insert(0, {str(Path(__file__).resolve().parent)!r})
    from dataclasses import replace
    from pathlib import Path
    from _common import settings, quiet
    quiet()
    from indexer import build_engine, Query
    s = replace(settings(Path({str(s.data_dir)!r}), audio=None), store="milvus:vectors.db")
    try:
        with build_engine(s, writer=False) as engine:
            print("reader: status ->", engine.status().spaces[0].vectors, "vectors;",
                  "search ->", len(engine.search(Query(text="a red circle")).results), "results")
    except Exception as exc:
        print(f"reader: {{type(exc).__name__}}: {{exc}}")
""")
with build_engine(s) as engine:  # the app / `framefind watch`: the writer, open
    engine.index([media])
    print("writer: indexed", engine.status().indexed)
    out = subprocess.run([sys.executable, "-c", reader], capture_output=True, text=True, timeout=240)
    print((out.stdout.strip() or out.stderr.strip().splitlines()[-1])[:400])
out = subprocess.run([sys.executable, "-c", reader], capture_output=True, text=True, timeout=240)
print("writer closed:", (out.stdout.strip() or out.stderr.strip().splitlines()[-1])[:300])
