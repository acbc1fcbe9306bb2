"""The notebooks, installed as package data of ``framescope.notebooks`` so that
``framescope demo`` runs them from a wheel too (:func:`framescope.demo.notebook_path`).

``NN_name.py`` are the jupytext twins of the notebooks, not modules: they are run top to
bottom by ``framescope demo`` and opened in JupyterLab. An empty ``__path__`` keeps
tools that import every submodule of a package (``pkgutil.walk_packages``, doc builders)
from running them.
"""
__path__ = []  # noqa: F811 (see the docstring)
