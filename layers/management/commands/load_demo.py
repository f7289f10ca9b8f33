from django.core.management.base import BaseCommand

from layers.demo import DEMO_DIR, load_demo
from routes.demo import load_demo_routes


class Command(BaseCommand):
    help = ("Load (or refresh) the four partners' demo data from fixtures/data: partners, "
            "attractions, trails and pilot routes. Idempotent.")

    def handle(self, *args, **options):
        report = load_demo(DEMO_DIR)
        routes = load_demo_routes(DEMO_DIR)
        self.stdout.write(self.style.SUCCESS(
            f"Demo data: {report.partners} partners; attractions {report.created['attraction']} "
            f"created, {report.updated['attraction']} updated; trails "
            f"{report.created['trail']} created, {report.updated['trail']} updated; "
            f"{routes} pilot routes."
        ))
