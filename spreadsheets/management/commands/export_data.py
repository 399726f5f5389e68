import sys

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from spreadsheets.exchange import RESOURCES, export_bytes, resource_named
from spreadsheets.formats import FORMATS_BY_NAME


class Command(BaseCommand):
    help = (
        "Export every row of a model as a spreadsheet (CSV, XLSX or JSON) with natural keys, "
        f"ready to edit and import again. MODEL is one of: {', '.join(RESOURCES)}."
    )

    def add_arguments(self, parser):
        parser.add_argument("model", help="outlet, person, source, quotation, claim, …")
        parser.add_argument("--format", default="csv", choices=sorted(FORMATS_BY_NAME))
        parser.add_argument(
            "--output", "-o", help="File to write (default: standard output, not for xlsx)."
        )
        parser.add_argument(
            "--include-internal",
            action="store_true",
            help="Also export internal fields (such as source notes). Needs --user, a user "
            "with the model's export_internal permission; the file says so in its first row.",
        )
        parser.add_argument("--user", help="Username of the staff member exporting.")

    def handle(self, *args, model, format, output, include_internal, user, **options):
        try:
            resource_class = resource_named(model)
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        if format == "xlsx" and not output and sys.stdout.isatty():
            raise CommandError("XLSX is binary; give --output FILE or redirect the output.")
        exporter = None
        if user:
            exporter = get_user_model().objects.filter(username=user).first()
            if exporter is None:
                raise CommandError(f"No user “{user}”.")
        if include_internal and exporter is None:
            raise CommandError("--include-internal needs --user USERNAME (who exports them).")
        try:
            data = export_bytes(
                resource_class,
                file_format=format,
                include_internal=include_internal,
                user=exporter,
            )
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        if output:
            with open(output, "wb") as handle:
                handle.write(data)
            self.stderr.write(f"Wrote {resource_class._meta.name} to {output}.")
        else:
            binary = getattr(self.stdout, "buffer", None)
            if binary is not None:
                self.stdout.flush()
                binary.write(data)
                binary.flush()
            elif format == "xlsx":
                raise CommandError("XLSX is binary; give --output FILE.")
            else:  # A text stream (as under call_command): the text without the BOM.
                self.stdout.write(data.decode("utf-8-sig"), ending="")
