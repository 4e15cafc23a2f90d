"""Documents in, structured facts out.

The stages, each a module, each importing only the ones below it: ``store``
and ``refresh`` (the embedded fact database, kept fresh per document);
``facts`` (one document's facts); ``kinds`` (one extractor per fact kind:
quantities, tables, figures, claims, mofcom, crs); ``pdftables``,
``texttables``, ``tablegrid`` and ``captions`` (tables and captions found);
``nlp`` and ``spans`` (the spaCy pipeline, sentences and spans); ``readers``
(files to blocks of text in reading order) and ``corpus`` (the manifest);
``records`` and ``errors`` at the bottom.
"""

__version__ = "0.1.0"

from extract.models import model_version

# Bumped whenever extraction output may change for an unchanged document, so
# the store knows to read every document again. The claim classifier's hash
# is part of it: retraining the model refreshes every store too.
EXTRACTOR_VERSION = f"17+claims-{model_version('claims')}"
