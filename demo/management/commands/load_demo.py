from django.core.management.base import BaseCommand

from demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the demo essays, bibliography and one user per role. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Give existing demo users new random passwords and print them.",
        )

    def handle(self, *args, reset_passwords: bool = False, **options):
        report = load_demo(reset_passwords=reset_passwords)
        for essay in report.essays_created:
            self.stdout.write(f"Created essay “{essay}” ({essay.get_status_display().lower()}).")
        for revision in report.revisions_published:
            self.stdout.write(
                f"Published “{revision.title}” at {revision.get_absolute_url()} "
                f"(revision {revision.number})."
            )
        for essay in report.essays_kept:
            self.stdout.write(f"Essay “{essay}” already loaded; left as it is.")
        if report.passwords:
            self.stdout.write("Demo users (log in at /admin/):")
            for username, password in report.passwords.items():
                self.stdout.write(f"  {username:<10} password: {password}")
        if report.existing_users:
            self.stdout.write(
                f"Users kept with their passwords: {', '.join(report.existing_users)} "
                "(run with --reset-passwords for new ones)."
            )
