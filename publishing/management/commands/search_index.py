from django.core.management.base import BaseCommand

from publishing.indexing import rebuild_public
from search.registry import rebuild_staff


class Command(BaseCommand):
    help = (
        "Rewrite the search index: staff entries from the live rows, public entries from "
        "the live published revisions. Run after restoring a database or loading fixtures."
    )

    def handle(self, *args, **options):
        for kind, count in rebuild_staff().items():
            self.stdout.write(f"staff {kind}: {count}")
        self.stdout.write(f"public essays: {rebuild_public()}")
