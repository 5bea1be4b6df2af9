from __future__ import annotations

from indexer.ingest.fingerprint import CHUNK, fingerprint


def test_same_content_same_print_and_a_changed_middle_is_seen(tmp_path):
    data = bytearray(b"x" * (10 * CHUNK))
    a, b = tmp_path / "a", tmp_path / "b"
    a.write_bytes(data)
    b.write_bytes(data)
    assert fingerprint(a) == fingerprint(b)
    data[5 * CHUNK] = ord("y")
    b.write_bytes(data)
    assert fingerprint(a) != fingerprint(b)


def test_a_big_file_costs_three_chunks(tmp_path, monkeypatch):
    big = tmp_path / "big"
    with open(big, "wb") as fh:
        fh.truncate(2 * 1024**3)  # 2 GiB, sparse
    reads = []
    real_open = open

    class Counting:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def seek(self, *args):
            return self.fh.seek(*args)

        def read(self, n):
            reads.append(n)
            return self.fh.read(n)

    monkeypatch.setattr("builtins.open", lambda *a, **k: Counting(real_open(*a, **k)))
    fingerprint(big)
    assert sum(reads) == 3 * CHUNK
