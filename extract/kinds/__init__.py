"""The kind extractors: each turns one document's text into facts of its kind.

They sit below :mod:`extract.facts`, which runs them all, and import only
downward (records, spans, captions, the table finders, the NLP pipeline).
"""
