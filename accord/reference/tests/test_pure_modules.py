import subprocess
import sys

PURE_MODULES = [
    "accord.reference.academic_years",
    "accord.reference.cefr",
    "accord.reference.cities",
    "accord.reference.countries",
    "accord.reference.currencies",
    "accord.reference.eqf",
    "accord.reference.isced",
    "accord.reference.languages",
]


def test_data_modules_do_not_import_django():
    # A fresh interpreter: in this one, pytest-django has long imported Django.
    script = f"import sys; import {', '.join(PURE_MODULES)}; print('django' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
