"""The audit trail: who changed partners' data and how (the events pghistory's triggers
record), the history page and "restore this version" in the admin, and the log of
refused attempts. It stands above layers, importers and routes, and registers with them."""
