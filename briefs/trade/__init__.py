"""US trade data: real formats in, one normalised frame out.

Loaders for the Census international trade API, USITC DataWeb exports and UN
Comtrade each return a frame of the schema in :mod:`briefs.trade.frame`.
"""
