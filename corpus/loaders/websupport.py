"""Helpers shared by the web loaders: typed ``--opt`` options, outlets, ids, languages.

Options reach a loader as a dict of strings (from the command line) or of Python values
(from code). The build hands the same options to every source of a build, so a loader
ignores keys it does not know; a key it knows with a bad value is a bad argument
(:class:`~framescope.corpus.errors.FramescopeError`). A key prefixed with a kind applies to that
kind only and wins over the plain key: ``--opt rss.outlet=airwars --opt gdelt.rate=6``
(see :func:`scoped`).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from urllib.parse import urlsplit

from framescope.corpus.errors import FramescopeError
from framescope.corpus.registry import Registry, load_registry

_TRUE = {"1", "true", "yes", "on", "y"}


def scoped(options: dict | None, kind: str) -> dict:
    """Select the options of one loader kind: ``KIND.key`` entries override plain ``key`` ones.

    Parameters
    ----------
    options : dict or None
        All options given to the build.
    kind : str
        The loader kind (named in errors).

    Returns
    -------
    dict
        The options that apply to ``kind``.
    """
    options = dict(options or {})
    prefix = f"{kind}."
    out = {k: v for k, v in options.items() if "." not in k}
    out.update({k[len(prefix):]: v for k, v in options.items() if k.startswith(prefix)})
    return out
_FALSE = {"0", "false", "no", "off", "n", ""}


def opt_str(options: dict, name: str, default: str | None = None) -> str | None:
    """Read a text option (stripped; empty counts as absent).

    Parameters
    ----------
    options : dict
        The loader options.
    name : str
        The option's name.
    default : str, optional
        The value when absent.

    Returns
    -------
    str or None
        The value.
    """
    value = options.get(name)
    if value is None:
        return default
    value = str(value).strip()
    return value if value else default


def opt_bool(options: dict, name: str, default: bool, kind: str) -> bool:
    """Read a 1/0 option.

    Parameters
    ----------
    options : dict
        The loader options.
    name : str
        The option's name.
    default : bool
        The value when absent.
    kind : str
        The loader kind (named in errors).

    Returns
    -------
    bool
        The value.

    Raises
    ------
    FramescopeError
        For a value of the wrong kind.
    """
    value = options.get(name)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise FramescopeError(f"{kind}: option {name}={value!r} must be 1 or 0")


def opt_number(options: dict, name: str, default: float | int | None, kind: str, *,
               integer: bool = False, minimum: float | None = None,
               maximum: float | None = None):
    """Read a numeric option, checked against its bounds.

    Parameters
    ----------
    options : dict
        The loader options.
    name : str
        The option's name.
    default : float, int or None
        The value when absent.
    kind : str
        The loader kind (named in errors).
    integer : bool, default False
        Require a whole number.
    minimum, maximum : float, optional
        Bounds (inclusive).

    Returns
    -------
    float, int or None
        The value.

    Raises
    ------
    FramescopeError
        For a value of the wrong kind.
    """
    value = options.get(name)
    if value is None or str(value).strip() == "":
        return default
    try:
        number = int(str(value)) if integer else float(str(value))
    except ValueError:
        what = "a whole number" if integer else "a number"
        raise FramescopeError(f"{kind}: option {name}={value!r} must be {what}") from None
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        bounds = f"{minimum if minimum is not None else '-inf'}..{maximum if maximum is not None else 'inf'}"
        raise FramescopeError(f"{kind}: option {name}={value!r} is outside {bounds}")
    return number


def opt_date(options: dict, name: str, kind: str) -> dt.date | None:
    """Read an ISO date option (YYYY-MM-DD).

    Parameters
    ----------
    options : dict
        The loader options.
    name : str
        The option's name.
    kind : str
        The loader kind (named in errors).

    Returns
    -------
    datetime.date or None
        The date, None when absent.

    Raises
    ------
    FramescopeError
        For a value of the wrong kind.
    """
    value = options.get(name)
    if value is None or str(value).strip() == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise FramescopeError(f"{kind}: option {name}={value!r} must be a date as YYYY-MM-DD") from None


def opt_list(options: dict, name: str) -> list[str]:
    """Read a comma-separated option (``country=Syria,Iraq``) as a list.

    Parameters
    ----------
    options : dict
        The loader options.
    name : str
        The option's name.

    Returns
    -------
    list of str
        The items, empty when absent.
    """
    value = options.get(name)
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in re.split(r"\s*,\s*", str(value)) if part.strip()]


def opt_choice(options: dict, name: str, choices: tuple[str, ...], default: str, kind: str) -> str:
    """Read an option that must be one of ``choices``.

    Parameters
    ----------
    options : dict
        The loader options.
    name : str
        The option's name.
    choices : tuple of str
        The allowed values.
    default : str
        The value when absent.
    kind : str
        The loader kind (named in errors).

    Returns
    -------
    str
        The value.

    Raises
    ------
    FramescopeError
        For a value of the wrong kind.
    """
    value = opt_str(options, name, default)
    if value not in choices:
        raise FramescopeError(f"{kind}: option {name}={value!r} must be one of {', '.join(choices)}")
    return value


def date_range(options: dict, kind: str) -> tuple[dt.date | None, dt.date | None]:
    """Read the ``start``/``end`` options (inclusive ISO dates), checked to be in order.

    Parameters
    ----------
    options : dict
        The loader options.
    kind : str
        The loader kind (named in errors).

    Returns
    -------
    tuple of (datetime.date or None, datetime.date or None)
        ``(start, end)``.

    Raises
    ------
    FramescopeError
        For a value of the wrong kind.
    """
    start, end = opt_date(options, "start", kind), opt_date(options, "end", kind)
    if start and end and start > end:
        raise FramescopeError(f"{kind}: start={start} is after end={end}")
    return start, end


# --- outlets, ids, languages ---------------------------------------------------------------

def registry_from_options(options: dict) -> Registry:
    """Load the shipped outlet registry plus the rows of ``registry=FILE`` when given.

    Parameters
    ----------
    options : dict
        The loader options.

    Returns
    -------
    Registry
        The registry.
    """
    return load_registry(opt_str(options, "registry"))


def _loose(name: str) -> str:
    return re.sub(r"[^0-9a-z\u0600-\u06ff]+", " ", name.lower()).strip()


def resolve_outlet(registry: Registry, *names: str | None) -> str | None:
    """Find the registry key of the first name that resolves (key, full name, domain or URL).

    Also tries the name without an edition suffix ("Agence France Presse -- English")
    or a leading "The", and compared without punctuation ("Agence France Presse" = "Agence France-Presse").

    Parameters
    ----------
    registry : Registry
        The outlet registry.
    *names : str or None
        Candidate names, best first.

    Returns
    -------
    str or None
        The key, None when no name resolves.
    """
    loose_index = None
    for name in names:
        if not name:
            continue
        name = str(name).strip()
        if name.lower().startswith(("http://", "https://")):
            name = urlsplit(name).netloc
        base = re.split(r"\s+-{1,2}\s+|\s+\(", name)[0]
        for candidate in (name, base, re.sub(r"(?i)^the\s+", "", base)):
            key = registry.resolve(candidate)
            if key:
                return key
            if loose_index is None:
                loose_index = {}
                for row in registry.rows.values():
                    for alias in [row["outlet"], row["name"], *re.findall(r"\(([^)]+)\)", row["name"]),
                                  re.split(r"\s+\(", row["name"])[0]]:
                        if alias:
                            loose_index.setdefault(_loose(alias), row["outlet"])
            key = loose_index.get(_loose(candidate))
            if key:
                return key
    return None


def hostname(url: str | None) -> str | None:
    """Reduce a URL to its host: 'https://www.Reuters.com/x' → 'reuters.com'.

    Parameters
    ----------
    url : str or None
        The URL.

    Returns
    -------
    str or None
        The host without ``www.``, lower case (None for no URL).
    """
    if not url:
        return None
    host = urlsplit(url).netloc.lower().split("@")[-1].split(":")[0]
    return host[4:] if host.startswith("www.") else (host or None)


def short_id(text: str) -> str:
    """Make a stable 16-hex-digit id for a URL or other long key.

    Parameters
    ----------
    text : str
        The key.

    Returns
    -------
    str
        16 hex digits of its SHA-256.
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


#: Language names used by GDELT and Nexis Uni → ISO 639-1.
LANGUAGE_CODES = {
    "english": "en", "arabic": "ar", "french": "fr", "russian": "ru", "spanish": "es",
    "german": "de", "turkish": "tr", "persian": "fa", "farsi": "fa", "kurdish": "ku",
    "hebrew": "he", "chinese": "zh", "italian": "it", "portuguese": "pt", "dutch": "nl",
    "urdu": "ur", "japanese": "ja", "korean": "ko", "greek": "el", "polish": "pl",
    "ukrainian": "uk", "swedish": "sv", "norwegian": "no", "danish": "da", "finnish": "fi",
    "hindi": "hi", "indonesian": "id", "malay": "ms", "romanian": "ro", "czech": "cs",
    "hungarian": "hu", "bulgarian": "bg", "serbian": "sr", "croatian": "hr", "armenian": "hy",
    "azerbaijani": "az", "georgian": "ka", "pashto": "ps", "somali": "so", "swahili": "sw",
}


def language_code(name: str | None) -> str | None:
    """Read a language name or code: 'English' / 'ENGLISH' / 'en' / 'en-GB' → 'en'.

    Parameters
    ----------
    name : str or None
        The name or code.

    Returns
    -------
    str or None
        The ISO 639-1 code, None when unknown.
    """
    if not name:
        return None
    text = str(name).strip().lower()
    if text in LANGUAGE_CODES:
        return LANGUAGE_CODES[text]
    m = re.fullmatch(r"([a-z]{2})(?:[-_][a-z0-9]+)?", text)
    return m.group(1) if m else None
