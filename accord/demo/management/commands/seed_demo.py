import os
import time

from django.core.management.base import BaseCommand

from accord.demo.data import DEMO_PASSWORD
from accord.demo.seed import seed_demo


class Command(BaseCommand):
    help = (
        "Fill the directory with fictional demo organisations (about a hundred, in real cities on every "
        "inhabited continent), one demo user per role and a demo partnership. Safe to run again: what "
        "exists is left alone."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        outcome = seed_demo()
        elapsed = time.monotonic() - started
        if outcome.organisations_created or outcome.users_created or outcome.partnerships_created:
            self.stdout.write(
                f"Created {outcome.organisations_created} organisations, {outcome.units_created} units, "
                f"{outcome.contacts_created} contacts, {outcome.users_created} users and "
                f"{outcome.partnerships_created} partnerships in {elapsed:.1f} s."
            )
        if outcome.exchanges_created:
            self.stdout.write(
                "The demo student applied, was allocated a place and nominated, and the partner accepted: "
                "their mobility is on both universities' lists."
            )
        else:
            self.stdout.write(f"The demo data is already there; nothing changed ({elapsed:.1f} s).")
        port = os.environ.get("PORT", "8000")
        self.stdout.write(f"\nAccord: http://127.0.0.1:{port}/\n")
        rows = [("username", "role", "organisation", "password")] + [
            (username, role, organisation, DEMO_PASSWORD) for username, role, organisation in outcome.logins
        ]
        widths = [max(len(row[column]) for row in rows) for column in range(4)]
        for number, row in enumerate(rows):
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
            if number == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
        self.stderr.write(
            self.style.WARNING(
                f"\nWARNING: every demo user has the password '{DEMO_PASSWORD}'. It is for demos only: "
                "never run seed_demo on a server reachable by others."
            )
        )
