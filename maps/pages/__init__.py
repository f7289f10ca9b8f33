"""Every HTML page of the platform, one module per page family.

Pages read data through the apps' selectors and services (and their browsers through the
API); templates are in ``maps/templates/<page>/`` and page scripts in
``maps/static/<page>/``.
"""
