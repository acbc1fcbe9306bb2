"""Helpers shared by file loaders: decoding with encoding detection, dates, hashes."""
from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import os
import re
from pathlib import Path

from framescope.corpus.errors import FramescopeError

SUPPORTED_ENCODINGS = ("utf-8", "utf-8-sig", "latin-1", "cp1252", "cp1256", "utf-16")


class DecodeError(ValueError):
    """Bytes that are not text in any encoding we accept (a rejects row, not a crash)."""


def sha256_bytes(data: bytes) -> str:
    """SHA-256 of bytes, as hex.

    Parameters
    ----------
    data : bytes
        The bytes.

    Returns
    -------
    str
        64 hex digits.
    """
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | os.PathLike, chunk: int = 1 << 20) -> str:
    """SHA-256 of a file, read in chunks, as hex.

    Parameters
    ----------
    path : str or os.PathLike
        The file.
    chunk : int
        Bytes read at a time.

    Returns
    -------
    str
        64 hex digits.
    """
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(chunk), b""):
            h.update(block)
    return h.hexdigest()


def check_encoding_name(encoding: str | None) -> str | None:
    """Validate a user-given encoding name (a bad name is a bad argument).

    Parameters
    ----------
    encoding : str or None
        The name; None, ``""`` or ``"auto"`` mean detection.

    Returns
    -------
    str or None
        Python's canonical codec name, or None for detection.

    Raises
    ------
    FramescopeError
        For an unknown encoding.
    """
    if encoding in (None, "", "auto"):
        return None
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise FramescopeError(f"unknown encoding {encoding!r} "
                              f"(try one of {', '.join(SUPPORTED_ENCODINGS)})") from None


def looks_binary(data: bytes) -> bool:
    """Tell whether bytes are not text: NUL bytes outside UTF-16 text, or many control characters.

    Parameters
    ----------
    data : bytes
        The start of a file.

    Returns
    -------
    bool
        True for a binary file.
    """
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return False
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return bool(sample) and controls / len(sample) > 0.05


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def decode_bytes(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode text bytes, detecting the encoding when none is given.

    With ``encoding`` given, decoding is strict in that encoding. Without it: a BOM
    decides (UTF-8-SIG, UTF-16); else strict UTF-8; else, when the bytes hold valid
    UTF-8 sequences *and* invalid bytes, the file mixes encodings and is refused; else
    cp1256 when most high bytes are Arabic letters there, else cp1252/latin-1.

    Parameters
    ----------
    data : bytes
        The file's bytes.
    encoding : str, optional
        The encoding to use strictly (default: detect).

    Returns
    -------
    tuple of (str, str)
        ``(text, encoding_used)``.

    Raises
    ------
    DecodeError
        With a one-line reason (the caller's reject).
    """
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise DecodeError(f"not valid {encoding}: {exc.reason} at byte {getattr(exc, 'start', '?')}") from None
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise DecodeError(f"broken UTF-16 text at byte {exc.start}") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if _UTF8_MULTIBYTE.search(data):
        raise DecodeError(f"mixed encodings: valid UTF-8 sequences and invalid bytes "
                          f"(first at byte {first_bad})")
    high = [b for b in data if b >= 0x80]
    arabic = sum(1 for b in high if "\u0600" <= bytes([b]).decode("cp1256", "replace") <= "\u06ff")
    if high and arabic / len(high) > 0.6:
        return data.decode("cp1256", errors="strict"), "cp1256"
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S",
                 "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S%z", "%Y%m%d", "%d %B %Y",
                 "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%a, %d %b %Y %H:%M:%S %z",
                 "%a, %d %b %Y %H:%M:%S %Z", "%A, %B %d, %Y", "%B %d, %Y %A")


_ISO_PREFIX = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:$|[T ]\d{2}:\d{2})")


def parse_date(value, fmt: str | None = None, dayfirst: bool = False) -> dt.date | None:
    """Read a date from a string.

    ``fmt`` is a strptime format; without it ISO and common news formats are tried, then
    numeric d/m/Y or m/d/Y (``dayfirst``) with two- or four-digit years.

    Parameters
    ----------
    value : str, datetime.date or None
        The value.
    fmt : str, optional
        A strptime format.
    dayfirst : bool, default False
        Read ``01/02/2017`` as 1 February.

    Returns
    -------
    datetime.date or None
        The date; None for an empty value.

    Raises
    ------
    ValueError
        When the value is not a date.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text or text.lower() in {"nan", "nat", "none", "null", "n/a", "na"}:
        return None
    if fmt:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            raise ValueError(f"unparsable date {text!r} (expected format {fmt})") from None
    iso = _ISO_PREFIX.match(text)
    if iso:  # the common case, without trying every format
        try:
            return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        except ValueError:
            raise ValueError(f"unparsable date {text!r}") from None
    for f in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, f).date()
        except ValueError:
            continue
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})", text)
    if m:
        a, b, y = (int(g) for g in m.groups())
        if y < 100:
            y += 2000 if y < 70 else 1900
        day, month = (a, b) if dayfirst else (b, a)
        try:
            return dt.date(y, month, day)
        except ValueError:
            raise ValueError(f"unparsable date {text!r}") from None
    m = re.match(r"(\d{4}-\d{2}-\d{2})[T ]", text)
    if m:
        return dt.date.fromisoformat(m.group(1))
    raise ValueError(f"unparsable date {text!r}")


def require_path(spec: str, kind: str, want: str = "any") -> Path:
    """Return the path of a ``KIND:PATH`` source, checked to exist.

    Parameters
    ----------
    spec : str
        The path as given.
    kind : str
        The source kind (named in the error).
    want : {'any', 'dir', 'file'}
        What the path must be.

    Returns
    -------
    pathlib.Path
        The path, ``~`` expanded.

    Raises
    ------
    FramescopeError
        When the path is missing or of the wrong kind.
    """
    if not spec:
        raise FramescopeError(f"{kind}: needs a path, as {kind}:PATH")
    path = Path(spec).expanduser()
    if not path.exists():
        raise FramescopeError(f"{kind}: no such file or folder: {path}")
    if want == "dir" and not path.is_dir():
        raise FramescopeError(f"{kind}: {path} is not a folder")
    if want == "file" and not path.is_file():
        raise FramescopeError(f"{kind}: {path} is not a file")
    return path


def folder_files(root: Path, wanted, recursive: bool = True) -> tuple[list[Path], list[tuple[str, str]]]:
    """List the files under ``root`` that ``wanted(path)`` accepts, and the entries refused.

    ``files`` are regular files inside ``root``, in name order; ``refused`` are entries
    ``wanted`` accepts by name that must not be read: a symbolic link that resolves outside
    ``root`` or nowhere (dangling, a loop), a FIFO, socket or device (reading one could block
    forever), a folder with a file's name. A link to a folder is not followed (a loop or a
    second copy), and says so. A link to a file inside ``root`` is read.

    Parameters
    ----------
    root : pathlib.Path
        The folder.
    wanted : callable
        ``wanted(path) -> bool``, by name.
    recursive : bool, default True
        Look into sub-folders.

    Returns
    -------
    tuple of (list of pathlib.Path, list of tuple (str, str))
        ``(files, refused)``; ``refused`` holds ``(location, reason)``.
    """
    import stat

    root_real = Path(os.path.realpath(root))
    files: list[Path] = []
    refused: list[tuple[str, str]] = []

    def visit(folder: Path) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            refused.append((str(folder), f"unreadable folder: {exc.strerror or exc}"))
            return
        for entry in entries:
            path = Path(entry.path)
            try:
                is_link = entry.is_symlink()
                if entry.is_dir(follow_symlinks=False):
                    if recursive:
                        visit(path)
                    continue
                if is_link and recursive and entry.is_dir():
                    refused.append((str(path), "symbolic link to a folder, not followed"))
                    continue
            except OSError as exc:
                refused.append((str(path), f"unreadable entry: {exc.strerror or exc}"))
                continue
            if not wanted(path):
                continue
            reason = None
            if is_link:
                real = Path(os.path.realpath(path))
                if not os.path.exists(path):
                    reason = f"dangling symbolic link (to {os.readlink(path)})"
                elif root_real != real and root_real not in real.parents:
                    reason = "symbolic link to a file outside the input folder, not read"
                elif real.is_dir():
                    reason = "symbolic link to a folder, not followed"
            if reason is None:
                try:
                    mode = os.stat(path).st_mode
                except OSError as exc:
                    reason = f"unreadable entry: {exc.strerror or exc}"
                else:
                    if stat.S_ISDIR(mode):
                        reason = "a folder, not a file"
                    elif not stat.S_ISREG(mode):
                        kind = ("FIFO" if stat.S_ISFIFO(mode) else "socket" if stat.S_ISSOCK(mode)
                                else "device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "special file")
                        reason = f"not a regular file ({kind}), not read"
            if reason is None:
                files.append(path)
            else:
                refused.append((str(path), reason))

    visit(root)
    files.sort()
    return files, refused


def read_input_bytes(path: Path, limit: int | None = None) -> bytes:
    """Read the bytes of an input file, opened without following a FIFO's promise of data.

    Parameters
    ----------
    path : pathlib.Path
        The file.
    limit : int, optional
        Largest size accepted, in bytes.

    Returns
    -------
    bytes
        The file's content.

    Raises
    ------
    OSError
        For an unreadable file (the caller's reject).
    ValueError
        When the file is larger than ``limit`` bytes.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as fh:
        import stat

        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise OSError("not a regular file")
        data = fh.read() if limit is None else fh.read(limit + 1)
    if limit is not None and len(data) > limit:
        raise ValueError(f"file larger than {limit} bytes")
    return data
