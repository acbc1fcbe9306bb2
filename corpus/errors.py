"""Errors that end in one clear line for the user (never a traceback)."""


class FramescopeError(Exception):
    """A user-facing error: bad arguments, missing paths, unusable inputs.

    The CLI prints ``framescope: error: <message>`` and exits with status 2.
    Bad *data* inside an input is not an error: it becomes a row in rejects.csv.
    """


class CorpusMismatchError(FramescopeError):
    """A saved artefact was made from a different corpus than the one given."""


class CorpusIntegrityError(FramescopeError):
    """A corpus folder does not match its manifest (truncated, missing or swapped files)."""
