"""framescope corpus layer: loaders, text layer and the corpus store."""
from corpus.errors import FramescopeError
from corpus.store import Corpus, load

__version__ = "0.1.0"
__all__ = ["Corpus", "FramescopeError", "load", "__version__"]
