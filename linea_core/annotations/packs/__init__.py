"""Core's annotation packs (YAML files in LineaPy's format), one per library family.

A package only so that the YAML files ship with the wheel; nothing to import here.
Registered by :mod:`linea_core.builtins.annotation_packs`.
"""
