"""The local model engine: llama.cpp's server from the ``xllamacpp`` wheel, in a child process.

``models`` knows the GGUF files PyPI packages carry, ``serve`` is the child process,
``process`` starts, checks and stops it, ``manager`` does so on demand for the Jupyter
server, and ``cli`` is ``jupyter aimagic engine status|start|stop|fetch``.
"""
