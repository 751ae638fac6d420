"""What the virtual exchange pages share."""

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from accord.core import errors
from accord.core.concurrency import StaleVersion
from accord.core.forms import add_domain_errors


def service_accepts(form, call: Callable[[], object]) -> bool:
    """Call the service a valid form is for; a refusal is put on the form and answers False."""
    try:
        call()
    except StaleVersion:
        raise
    except errors.ValidationFailed as exc:
        add_domain_errors(form, exc)
    except errors.Conflict as exc:
        form.add_error(None, exc.message)
    else:
        return True
    return False


def safe_next(request: HttpRequest, default: str) -> str:
    """The page a form came from (``next``), when it is one of ours."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default
