"""Helpers for the robustness tests: which views accept POST, and which fields a page offers."""

import inspect
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.urls import URLPattern, URLResolver, get_resolver


def url_callbacks(patterns=None):
    """(url name, view) for every named URL pattern outside the admin."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the admin's own forms are Django's, tested there
            yield from url_callbacks(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield pattern.name, pattern.callback


def accepted_methods(view):
    """The HTTP methods a view accepts, or None when it does not limit them.

    Function views limit them with ``require_http_methods`` (and its shortcuts
    ``require_GET``/``require_POST``), whose wrapper keeps the list in its closure;
    class-based views answer the methods they have a handler for.
    """
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return {
            method.upper() for method in view_class.http_method_names if hasattr(view_class, method)
        }
    function = view
    while function is not None:
        try:
            nonlocals = inspect.getclosurevars(function).nonlocals
        except TypeError:
            nonlocals = {}
        if "request_method_list" in nonlocals:
            return {method.upper() for method in nonlocals["request_method_list"]}
        function = getattr(function, "__wrapped__", None)
    return None


def accepts_post(view):
    methods = accepted_methods(view)
    return methods is None or "POST" in methods


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, select, radio, checkbox, hidden, password, date, number, button...
    values: list = field(default_factory=list)  # values the page offers (options, initial value)
    editable: bool = True  # False for disabled and read-only controls


class FieldCollector(HTMLParser):
    """The named form controls inside <main>, with the values the page offers for them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields = {}
        self.in_main = 0
        self.select = None

    def _add(self, name, kind, value=None, attrs=None):
        entry = self.fields.setdefault(name, Field(name=name, kind=kind))
        if attrs and ("disabled" in attrs or "readonly" in attrs):
            entry.editable = False
        if value not in (None, "") and value not in entry.values:
            entry.values.append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "main":
            self.in_main += 1
            return
        if not self.in_main:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            self._add(name, attrs.get("type", "text"), attrs.get("value"), attrs)
        elif tag in ("textarea", "button") and name:
            self._add(name, tag, attrs.get("value"), attrs)
        elif tag == "select" and name:
            self._add(name, "select")
            self.select = name
        elif tag == "option" and self.select:
            self._add(self.select, "select", attrs.get("value"))

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main -= 1
        elif tag == "select":
            self.select = None


def page_fields(html):
    collector = FieldCollector()
    collector.feed(html)
    collector.fields.pop("csrfmiddlewaretoken", None)
    return list(collector.fields.values())
