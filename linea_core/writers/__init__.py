"""Core's pipeline writers: built-in plugins written on the public writer API only.

``SCRIPT`` (:mod:`.script`) renders the pipeline as a Python script; writers for
orchestrators live in their own distributions (``linea-airflow``, ``linea-dvc``...).
"""
