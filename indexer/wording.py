"""Messages for people that the window can say in their language.

The engine speaks English (the command line, the log). A `Message` is that English text and
also the template and fields it was made from, so the window can look the template up in its
Qt catalogue and fill the fields in again; everything else treats it as the plain string it is.
A field may be a Message itself ("cannot list folder: {reason}"), said in its turn.
`packaging/update_translations.py` collects the templates from `Message(...)` calls: write the
template literally there (not in a variable) for it to be found.
"""

from __future__ import annotations

import json
from typing import Any


class Message(str):
    template: str
    fields: dict[str, str]  # each a Message or plain text (a name, a number, a decoder's words)

    def __new__(cls, template: str, **fields: Any) -> Message:
        shown = {name: value if isinstance(value, Message) else str(value) for name, value in fields.items()}
        text = super().__new__(cls, template.format(**shown) if shown else template)
        text.template, text.fields = template, shown
        return text

    def to_json(self) -> str:
        return json.dumps(self._plain())

    def _plain(self) -> dict[str, Any]:
        fields = {k: v._plain() if isinstance(v, Message) else v for k, v in self.fields.items()}
        return {"template": self.template, "fields": fields}

    @classmethod
    def from_json(cls, stored: str) -> Message:
        """A stored message; text stored before messages had templates comes back as itself."""
        try:
            return cls._from_plain(json.loads(stored))
        except (ValueError, TypeError, KeyError, AttributeError):
            return cls(stored)

    @classmethod
    def _from_plain(cls, data: dict[str, Any]) -> Message:
        fields = {k: cls._from_plain(v) if isinstance(v, dict) else v for k, v in data["fields"].items()}
        return cls(data["template"], **fields)
