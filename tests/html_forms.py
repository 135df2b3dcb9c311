"""Reading the forms of a page as a browser would submit them, for tests that post what a page
offers (the admin crawl, the fuzz test)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "select-multiple" or "textarea"
    value: str = ""
    options: list[str] = field(default_factory=list)  # for selects and radio/checkbox groups
    selected: list[str] = field(default_factory=list)


@dataclass
class Form:
    action: str
    method: str
    enctype: str
    fields: list[Field] = field(default_factory=list)

    def data(self) -> dict[str, list[str]]:
        """What a browser sends when the form is submitted as the page shows it."""
        sent: dict[str, list[str]] = {}
        for item in self.fields:
            if item.kind in ("submit", "button", "reset", "image", "file"):
                continue
            if item.kind in ("checkbox", "radio"):
                values = item.selected
            elif item.kind == "select":
                values = item.selected[:1] or item.options[:1]
            elif item.kind == "select-multiple":
                values = item.selected
            else:
                values = [item.value]
            if values:
                sent.setdefault(item.name, []).extend(values)
        return sent

    def names(self) -> list[str]:
        return list(dict.fromkeys(item.name for item in self.fields))

    @property
    def has_file(self) -> bool:
        return any(item.kind == "file" for item in self.fields)


class _FormParser(HTMLParser):
    def __init__(self, base_url: str):
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._option: str | None = None
        self._option_selected = False
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = Form(
                action=urljoin(self.base_url, attrs.get("action") or self.base_url),
                method=(attrs.get("method") or "get").lower(),
                enctype=attrs.get("enctype") or "",
            )
            self.forms.append(self._form)
        if self._form is None or ("disabled" in attrs and tag != "option"):
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            value = attrs.get("value")
            if kind in ("checkbox", "radio"):
                group = next(
                    (f for f in self._form.fields if f.name == name and f.kind == kind), None
                )
                if group is None:
                    group = Field(name, kind)
                    self._form.fields.append(group)
                group.options.append(value if value is not None else "on")
                if "checked" in attrs:
                    group.selected.append(value if value is not None else "on")
            else:
                self._form.fields.append(Field(name, kind, value or ""))
        elif tag == "select" and name:
            self._select = Field(name, "select-multiple" if "multiple" in attrs else "select")
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = attrs.get("value")
            self._option_selected = "selected" in attrs
            if self._option is not None:
                self._add_option(self._option)
                self._option = None
        elif tag == "textarea" and name:
            self._textarea = Field(name, "textarea")
            self._form.fields.append(self._textarea)

    def _add_option(self, value):
        self._select.options.append(value)
        if self._option_selected:
            self._select.selected.append(value)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        elif self._select is not None and self._option == "":
            pass

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # Browsers drop the one newline that follows <textarea>.
            if self._textarea.value.startswith("\n"):
                self._textarea.value = self._textarea.value[1:]
            self._textarea = None


def forms_of(html: str, url: str) -> list[Form]:
    parser = _FormParser(url)
    parser.feed(html)
    return parser.forms


def flat(data: dict[str, list[str]]) -> dict:
    """The test client takes a list for a repeated name, a string otherwise."""
    return {name: values if len(values) > 1 else values[0] for name, values in data.items()}
