"""Reading and checking a GTFS feed: its files (``files``: the archive, encodings, CSV rows
and the checks of a cell) and its tables (``tables``: what each holds and how they refer to
each other). ``transit.services`` writes what they read.
"""
