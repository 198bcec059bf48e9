"""A local package, to import a submodule of it."""
