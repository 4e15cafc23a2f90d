"""Documents in, structured facts out.

The stages, each a module: ``corpus`` (the manifest), ``readers`` (files to
blocks of text in reading order), ``nlp`` (the spaCy pipeline), ``quantities``
(numbers with units), ``facts`` (blocks to fact records) and ``store`` (the
embedded fact database).
"""

__version__ = "0.1.0"

# Bumped whenever extraction output may change for an unchanged document, so
# the store knows to read every document again.
EXTRACTOR_VERSION = "5"
