from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from spreadsheets.exchange import (
    RESOURCES,
    format_for_filename,
    import_bytes,
    resource_named,
    summary,
)
from spreadsheets.formats import FORMATS_BY_NAME
from spreadsheets.limits import ImportRefused, file_size_problem
from spreadsheets.resources import row_errors


class Command(BaseCommand):
    help = (
        "Import a spreadsheet (CSV, XLSX or JSON) into a model, all or nothing: any error "
        "in any row and nothing is written; errors are listed by row and column and the "
        f"command exits non-zero. MODEL is one of: {', '.join(RESOURCES)}."
    )

    def add_arguments(self, parser):
        parser.add_argument("model", help="outlet, person, source, quotation, claim, …")
        parser.add_argument("file", help="The .csv, .xlsx or .json file to import.")
        parser.add_argument(
            "--format", choices=sorted(FORMATS_BY_NAME), help="Default: from the extension."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and report, writing nothing."
        )
        parser.add_argument(
            "--user",
            help="Import as this user: their import permission is checked and new "
            "counter-evidence is recorded as theirs.",
        )

    def handle(self, *args, model, file, format, dry_run, user, **options):
        try:
            resource_class = resource_named(model)
            file_format = format or format_for_filename(file)
        except LookupError as exc:
            raise CommandError(str(exc)) from None

        importer = None
        if user:
            importer = get_user_model().objects.filter(username=user).first()
            if importer is None:
                raise CommandError(f"No user “{user}”.")

        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file “{file}”.")
        problem = file_size_problem(path.stat().st_size)
        if problem:
            raise CommandError(problem)

        try:
            result = import_bytes(
                resource_class,
                data=path.read_bytes(),
                file_format=file_format,
                dry_run=dry_run,
                user=importer,
            )
        except (ImportRefused, PermissionDenied) as exc:
            raise CommandError(str(exc)) from None

        name = resource_class._meta.name
        problems = row_errors(result)
        if problems:
            for line in problems:
                self.stderr.write(line)
            raise CommandError(
                f"{name}: {len(problems)} problem(s) in {path.name}; nothing was written."
            )
        if dry_run:
            self.stdout.write(f"{name}: {summary(result)}. Dry run: nothing was written.")
        else:
            self.stdout.write(self.style.SUCCESS(f"{name}: {summary(result)}."))
