from django.apps import AppConfig


class MapsConfig(AppConfig):
    name = "maps"
    verbose_name = "Maps"

    def ready(self) -> None:
        # The OGC API (layers) answers browsers with the site's pages, which it may not
        # import: the site registers them.
        from layers.ogc.html import register_pages
        from maps.pages.ogc import OGC_PAGES

        register_pages(OGC_PAGES)
