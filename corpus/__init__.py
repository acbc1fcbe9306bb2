"""framescope corpus layer: loaders, text layer and the corpus store."""
from framescope.corpus.errors import FramescopeError
from framescope.corpus.store import Corpus, load

__version__ = "0.1.0"
__all__ = ["Corpus", "FramescopeError", "load", "__version__"]
