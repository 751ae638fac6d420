from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from accord.core.errors import NotFound
from accord.organisations import selectors


@login_required
def directory(request):
    queryset, form = selectors.organisation_list(user=request.user, filters=request.GET)
    page = Paginator(queryset, 25).get_page(request.GET.get("page"))
    return render(request, "organisations/list.html", {"form": form, "page": page})


@login_required
def detail(request, pk: int):
    try:
        organisation = selectors.organisation_detail(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "units": selectors.unit_tree(organisation=organisation),
            "contacts": selectors.contacts_visible(user=request.user, organisation=organisation),
            "perms": selectors.organisation_permissions(user=request.user, organisation=organisation),
        },
    )
