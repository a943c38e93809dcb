"""Projektatlas: a linked, searchable knowledge base of Swedish ESF/ESF+ projects."""

__version__ = "0.1.0"
