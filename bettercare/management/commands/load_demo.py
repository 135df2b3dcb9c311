from django.core.management.base import BaseCommand

from bettercare.demo import load_demo


class Command(BaseCommand):
    help = "Load (or refresh) the Southampton demo data set and demo users. Safe to run again."

    def handle(self, *args, **options):
        area = load_demo(log=lambda line: self.stdout.write(f"  {line}"))
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded for {area}."))
