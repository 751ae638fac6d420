import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accord.ewp.node.iia_content import export_iias, exportable_agreements, organisation_by_hei_id


class Command(BaseCommand):
    help = (
        "Write an EWP IIAs v7 get-response with an institution's own copies of its agreements, "
        "for partners not yet on the EWP network."
    )

    def add_arguments(self, parser):
        parser.add_argument("--hei", required=True, help="The institution's SCHAC code (hei-id).")
        parser.add_argument("--output", required=True, help="The file to write, or - for standard output.")

    def handle(self, *args, hei, output, **options):
        organisation = organisation_by_hei_id(hei)
        if organisation is None:
            raise CommandError(f"No institution with the hei-id {hei} in the directory.")
        exported = exportable_agreements(organisation)
        document = export_iias(organisation, exported)
        count = len(exported)
        if output == "-":
            sys.stdout.buffer.write(document)
            return
        Path(output).write_bytes(document)
        self.stderr.write(f"Wrote {count} shared agreement(s) of {organisation.schac_code} to {output}.")
