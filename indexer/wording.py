"""Messages for people that the window can say in their language.

The engine speaks English (the command line, the log). A `Message` is that English text and
also the template and fields it was made from, so the window can look the template up in its
Qt catalogue and fill the fields in again; everything else treats it as the plain string it is.
`packaging/update_translations.py` collects the templates from `Message(...)` calls: write the
template literally there (not in a variable) for it to be found.
"""

from __future__ import annotations

import json
from typing import Any


class Message(str):
    template: str
    fields: dict[str, str]

    def __new__(cls, template: str, **fields: Any) -> Message:
        shown = {name: str(value) for name, value in fields.items()}
        text = super().__new__(cls, template.format(**shown) if shown else template)
        text.template, text.fields = template, shown
        return text

    def to_json(self) -> str:
        return json.dumps({"template": self.template, "fields": self.fields})

    @classmethod
    def from_json(cls, stored: str) -> Message:
        """A stored message; text stored before messages had templates comes back as itself."""
        try:
            data = json.loads(stored)
            return cls(data["template"], **data["fields"])
        except (ValueError, TypeError, KeyError):
            return cls(stored)
