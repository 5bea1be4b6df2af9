"""Loading packaging/'s scripts: the folder is no package (its name would shadow PyPI's
`packaging`), so they are loaded by path, as `python3 packaging/build.py` runs them."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def load_script(name: str) -> ModuleType:
    if str(PACKAGING) not in sys.path:
        sys.path.insert(0, str(PACKAGING))  # build.py imports deb.py beside it
    spec = importlib.util.spec_from_file_location(f"framefind_packaging_{name}", PACKAGING / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def build_script() -> ModuleType:
    return load_script("build")


@pytest.fixture(scope="session")
def deb_script() -> ModuleType:
    return load_script("deb")
