"""Facts and trade data in, versioned briefs out; and the ``brief`` command."""
