from django.core.management.base import BaseCommand, CommandError

from publishing.models import PublishedRevision
from publishing.services import revisions_rerender


class Command(BaseCommand):
    help = (
        "Render the stored page of every live published revision again from its frozen "
        "snapshot, with the current templates and settings (run after a deploy that changed "
        "the article's markup or COUNTERPOINT_SITE_URL). What readers are told does not change."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--essay",
            action="append",
            dest="slugs",
            metavar="SLUG",
            help="Only this essay (by its published slug); repeat for several.",
        )

    def handle(self, *args, slugs: list[str] | None = None, **options):
        if slugs:
            live = set(
                PublishedRevision.objects.filter(is_live=True, slug__in=slugs).values_list(
                    "slug", flat=True
                )
            )
            if missing := [slug for slug in slugs if slug not in live]:
                raise CommandError(f"No live published essay with the slug: {', '.join(missing)}")
        changed, unchanged = revisions_rerender(slugs=slugs)
        for revision in changed:
            self.stdout.write(f"Re-rendered “{revision.title}” (revision {revision.number}).")
        self.stdout.write(
            f"{len(changed)} page{'s' if len(changed) != 1 else ''} re-rendered, "
            f"{len(unchanged)} already current."
        )
