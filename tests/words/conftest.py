from __future__ import annotations

import pytest

from tests.support.speech import have_espeak


@pytest.fixture(scope="session")
def espeak() -> None:
    """Real speech needs espeak-ng: a missing one fails loudly, never skips."""
    if not have_espeak():
        raise RuntimeError(
            "espeak-ng is missing: install the test packages (sh packaging/system-deps.sh test)"
        )
