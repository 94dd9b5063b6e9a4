"""The language of a page: English, French or Spanish, from ``?lang=``, the ``lang`` cookie or ``Accept-Language``.

The page strings are English message ids translated through the catalogue in ``gfmdkg.serve.messages`` (a plain
dictionary: the pages have a few hundred short strings and no plurals beyond "n items", so compiled gettext
catalogues would add a build step and buy nothing). Templates use Jinja's i18n extension (``_()`` and
``{% trans %}``) on top of it and Python marks its strings with ``_()`` or, for tables built at import time,
``N_()``; ``babel.messages.extract`` finds both (tests/test_i18n.py checks that every one is translated).
"""

from __future__ import annotations

import unicodedata
from contextvars import ContextVar
from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qsl, urlencode

from gfmdkg.serve.messages import CATALOGUE

def N_(message: str) -> str:  # noqa: N802 - the conventional name of the no-op marker
    """Mark a string for translation without translating it (tables built at import time)."""
    return message


LANGUAGES = ("en", "fr", "es")
DEFAULT = "en"
#: each language named in itself, for the switch
NAMES = {"en": "English", "fr": "Français", "es": "Español"}
COOKIE = "lang"
#: the reason phrases of the error pages (http.HTTPStatus), marked for translation
REASONS = (N_("Bad Request"), N_("Forbidden"), N_("Not Found"), N_("Method Not Allowed"), N_("Not Acceptable"),
           N_("Length Required"), N_("Request Entity Too Large"), N_("Request-URI Too Long"),
           N_("Internal Server Error"), N_("Service Unavailable"))
_current: ContextVar[str] = ContextVar("gfmdkg_page_language", default=DEFAULT)
_request: ContextVar[tuple[str, str]] = ContextVar("gfmdkg_page_address", default=("/", ""))


def current() -> str:
    """The language of the page being built."""
    return _current.get()


def use(lang: str, path: str = "/", query: str = "") -> None:
    """Build the pages of this request (this thread or task) in ``lang``; ``path`` and ``query`` (without
    ``lang``) are the page's address, for the language switch."""
    _current.set(lang if lang in LANGUAGES else DEFAULT)
    _request.set((path, query))


def gettext(message: str) -> str:
    """``message`` in the current language (the English text when the catalogue has no translation)."""
    lang = current()
    if lang == DEFAULT:
        return message
    return CATALOGUE.get(message, {}).get(lang) or message


_ = gettext


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural message for ``n``, translated (the three languages share English's rule)."""
    return gettext(singular if n == 1 else plural)


def sort_key(text: str) -> str:
    """Text as it sorts in a list for people: case and accents ignored (« Égypte » between « Chine » and « France »)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


#: accented letters of French and Spanish -> base letter, for SPARQL ORDER BY (the same order as sort_key)
_SPARQL_FOLDS = (("[àáâãäå]", "a"), ("[çć]", "c"), ("[èéêë]", "e"), ("[ìíîï]", "i"), ("[ñ]", "n"),
                 ("[òóôõö]", "o"), ("[ùúûü]", "u"), ("[ýÿ]", "y"))


def sparql_sort_key(var: str) -> str:
    """A SPARQL expression that orders ``var`` as :func:`sort_key` does for French and Spanish text."""
    expr = f"LCASE(STR({var}))"
    for pattern, letter in _SPARQL_FOLDS:
        expr = f'REPLACE({expr}, "{pattern}", "{letter}")'
    return expr


def _accept_language(header: str) -> str | None:
    """The supported language the client prefers most, by q-value then order."""
    best: tuple[float, int, str] | None = None
    for i, part in enumerate(header.split(",")[:50]):
        tag, _sep, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            name, _eq, val = param.strip().partition("=")
            if name == "q":
                try:
                    q = float(val)
                except ValueError:
                    q = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and q > 0 and (best is None or (-q, i) < (-best[0], best[1])):
            best = (q, i, primary)
    return best[2] if best else None


def _cookie(header: str | None) -> str | None:
    if not header:
        return None
    try:
        jar = SimpleCookie(header)
    except CookieError:
        return None
    morsel = jar.get(COOKIE)
    return morsel.value if morsel and morsel.value in LANGUAGES else None


def negotiate(chosen: str | None, cookie_header: str | None, accept_language: str | None) -> str:
    """The page language: the ``lang`` parameter, else the cookie, else ``Accept-Language``, else English."""
    if chosen in LANGUAGES:
        return chosen
    return _cookie(cookie_header) or _accept_language(accept_language or "") or DEFAULT


def split_query(query: str) -> tuple[str | None, str]:
    """The ``lang`` parameter of a URL query string and the query string without it."""
    pairs = parse_qsl(query, keep_blank_values=True, max_num_fields=60)
    langs = [v for k, v in pairs if k == "lang"]
    if not langs:
        return None, query
    return langs[-1], urlencode([(k, v) for k, v in pairs if k != "lang"])


def response_headers(chosen: str | None, lang: str) -> dict[str, str]:
    """Headers of an HTML page in ``lang``; a valid ``?lang=`` choice is remembered in a cookie."""
    headers = {"Content-Language": lang, "Vary": "Accept, Accept-Language, Cookie"}
    if chosen in LANGUAGES:
        headers["Set-Cookie"] = f"{COOKIE}={chosen}; Path=/; Max-Age=31536000; SameSite=Lax"
    return headers


def switch_links() -> list[dict]:
    """The language switch: this page (same path and parameters) in each language."""
    path, query = _request.get()
    rest = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True, max_num_fields=60) if k != "lang"]
    return [{"lang": lang, "name": NAMES[lang], "href": path + "?" + urlencode(rest + [("lang", lang)]),
             "current": lang == current()} for lang in LANGUAGES]


class Labels(dict):
    """IRI -> label in the page's language (else English, else any), with ``langs``: IRI -> the label's language."""

    def __init__(self, texts: dict[str, str] | None = None, langs: dict[str, str] | None = None) -> None:
        super().__init__(texts or {})
        self.langs = langs or {}

    def lang_of(self, iri: str) -> str | None:
        return self.langs.get(iri)
