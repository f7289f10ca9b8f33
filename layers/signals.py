"""Signals other apps listen to: a layer's features were written in bulk.

Imports write with SQL, not one ``save()`` per feature, so model signals do not
fire; ``layer_written`` (sent inside the import's transaction, after the write
and after an undo) tells, e.g., pilot routes that follow the layer's trails.
"""

from django.dispatch import Signal

layer_written = Signal()  # kwargs: layer
