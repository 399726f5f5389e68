import json

from django.core.management.base import BaseCommand, CommandError

from essays.models import Essay
from publishing.selectors import live_claim_reviews
from publishing.structured_data import claim_review_feed


class Command(BaseCommand):
    help = (
        "Write the published fact-checks (the reviewed claims in the live revision of each "
        "published essay) as a schema.org ClaimReview JSON feed, the same objects the public "
        "pages embed. Read from published revisions only: a verdict approved since the last "
        "publish is not in it until the next publish."
    )

    def add_arguments(self, parser):
        parser.add_argument("--essay", metavar="SLUG", help="Only this essay's fact-checks.")
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")

    def handle(self, *args, essay, output, **options):
        if essay is not None:
            found = Essay.objects.filter(slug=essay).first()
            if found is None:
                raise CommandError(f"No essay with the slug “{essay}”.")
            if found.status != Essay.Status.PUBLISHED:
                raise CommandError(
                    f"“{essay}” is not published; only published fact-checks are exported."
                )
        feed = claim_review_feed(live_claim_reviews(essay_slug=essay))
        text = json.dumps(feed, ensure_ascii=False, indent=2) + "\n"
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
            count = len(feed["dataFeedElement"])
            self.stderr.write(f"Wrote {count} ClaimReview(s) to {output}.")
        else:
            self.stdout.write(text, ending="")
