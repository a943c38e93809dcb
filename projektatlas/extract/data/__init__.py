"""Gazetteer data files (see ``build_gazetteer.py`` and each file's ``source`` note)."""
