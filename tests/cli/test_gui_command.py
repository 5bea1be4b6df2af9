"""`framefind` alone, or `framefind gui`, opens the window; without a display it says so."""

from __future__ import annotations

from indexer import cli


def test_without_a_display_the_app_says_so_instead_of_crashing(monkeypatch, capsys):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert cli.main([]) == 2
    assert "no display" in capsys.readouterr().err
    assert cli.main(["gui"]) == 2


def test_gui_is_listed_in_the_help(capsys):
    parser = cli.build_parser()
    assert "gui" in parser.format_help()
