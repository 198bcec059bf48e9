"""A toy outside plugin: what a third party publishes to add a framework to linea."""
