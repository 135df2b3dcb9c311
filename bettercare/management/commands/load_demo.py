from django.core.management.base import BaseCommand

from bettercare.demo import load_demo


class Command(BaseCommand):
    help = (
        "Load (or refresh) the demo data set and demo users: Southampton and the other three "
        "areas of Hampshire and the Isle of Wight (illustrative). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--southampton-only",
            action="store_true",
            help="Load Southampton alone, without the other three illustrative areas.",
        )

    def handle(self, *args, **options):
        area = load_demo(
            log=lambda line: self.stdout.write(f"  {line}"),
            all_areas=not options["southampton_only"],
        )
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded for {area}."))
