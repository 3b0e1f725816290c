"""The kernel side of AI Magic: ``%load_ext jupyterlab_aimagic`` registers ``%%ai`` and ``%ai``.

A second implementation of the TypeScript core's context, docs and request rules, held to the
same conformance table (``conformance/``), plus the magic that sends the request with the
official Python SDKs and streams the reply into the cell's output. Standard library only at
import time: IPython and the SDKs are imported when they are used.
"""
