"""Shared objectives with their indicators, yearly targets, measured figures and progress."""

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from accord.core.api_versions import (
    LIST_DOC,
    READ_DOC,
    WRITE_DOC,
    IfMatch,
    conditional_list,
    expected_version,
    set_etag,
)
from accord.partnerships import selectors, services
from accord.partnerships.api._common import partnership_for, people_from_ids
from accord.partnerships.models import Partnership
from accord.partnerships.schemas import (
    ActualIn,
    ActualOut,
    ActualPatch,
    IndicatorIn,
    IndicatorOut,
    IndicatorPatch,
    IndicatorProgressOut,
    ObjectiveIn,
    ObjectiveOut,
    ObjectivePatch,
    TargetIn,
    TargetOut,
    TargetPatch,
)

router = Router(tags=["partnerships"])


def _objective_out(partnership: Partnership, objective_id: int):
    return selectors.objectives_with_indicators(partnership=partnership).get(pk=objective_id)


@router.get(
    "/{int:partnership_id}/objectives",
    response=list[ObjectiveOut],
    summary="Shared objectives",
    openapi_extra=LIST_DOC,
)
@conditional_list
def list_objectives(request: HttpRequest, partnership_id: int):
    return list(selectors.objectives_with_indicators(partnership=partnership_for(request, partnership_id)))


@router.post("/{int:partnership_id}/objectives", response={201: ObjectiveOut}, summary="Add an objective")
def create_objective(request: HttpRequest, partnership_id: int, payload: ObjectiveIn, response: HttpResponse):
    partnership = partnership_for(request, partnership_id)
    data = payload.dict()
    people_from_ids(partnership, data, "owner_id", "owner")
    objective = services.objective_create(actor=request.user, partnership=partnership, **data)
    set_etag(response, objective)
    return Status(201, _objective_out(partnership, objective.pk))


@router.get(
    "/{int:partnership_id}/objectives/{int:objective_id}",
    response=ObjectiveOut,
    summary="An objective, with its indicators, targets and figures",
    openapi_extra=READ_DOC,
)
def get_objective(request: HttpRequest, partnership_id: int, objective_id: int, response: HttpResponse):
    partnership = partnership_for(request, partnership_id)
    objective = selectors.objective_for(partnership=partnership, pk=objective_id)
    set_etag(response, objective)
    return _objective_out(partnership, objective.pk)


@router.patch(
    "/{int:partnership_id}/objectives/{int:objective_id}",
    response=ObjectiveOut,
    summary="Edit an objective",
    openapi_extra=WRITE_DOC,
)
def update_objective(
    request: HttpRequest,
    partnership_id: int,
    objective_id: int,
    payload: ObjectivePatch,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    partnership = partnership_for(request, partnership_id)
    objective = selectors.objective_for(partnership=partnership, pk=objective_id)
    data = payload.dict(exclude_unset=True)
    people_from_ids(partnership, data, "owner_id", "owner")
    updated = services.objective_update(
        actor=request.user,
        objective=objective,
        expected_version=expected_version(if_match, objective),
        **data,
    )
    set_etag(response, updated)
    return _objective_out(partnership, objective.pk)


@router.delete(
    "/{int:partnership_id}/objectives/{int:objective_id}",
    response={204: None},
    summary="Delete an objective",
    openapi_extra=WRITE_DOC,
)
def delete_objective(request: HttpRequest, partnership_id: int, objective_id: int, if_match: IfMatch = None):
    objective = selectors.objective_for(partnership=partnership_for(request, partnership_id), pk=objective_id)
    services.objective_delete(
        actor=request.user, objective=objective, expected_version=expected_version(if_match, objective)
    )
    return Status(204, None)


@router.post(
    "/{int:partnership_id}/objectives/{int:objective_id}/indicators",
    response={201: IndicatorOut},
    summary="Add an indicator to an objective",
)
def create_indicator(
    request: HttpRequest, partnership_id: int, objective_id: int, payload: IndicatorIn, response: HttpResponse
):
    objective = selectors.objective_for(partnership=partnership_for(request, partnership_id), pk=objective_id)
    created = services.indicator_create(actor=request.user, objective=objective, **payload.dict())
    set_etag(response, created)
    return Status(201, created)


@router.get(
    "/{int:partnership_id}/indicators/{int:indicator_id}",
    response=IndicatorOut,
    summary="An indicator",
    openapi_extra=READ_DOC,
)
def get_indicator(request: HttpRequest, partnership_id: int, indicator_id: int, response: HttpResponse):
    record = selectors.indicator_for(partnership=partnership_for(request, partnership_id), pk=indicator_id)
    set_etag(response, record)
    return record


@router.patch(
    "/{int:partnership_id}/indicators/{int:indicator_id}",
    response=IndicatorOut,
    summary="Edit an indicator",
    openapi_extra=WRITE_DOC,
)
def update_indicator(
    request: HttpRequest,
    partnership_id: int,
    indicator_id: int,
    payload: IndicatorPatch,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    indicator = selectors.indicator_for(partnership=partnership_for(request, partnership_id), pk=indicator_id)
    updated = services.indicator_update(
        actor=request.user,
        indicator=indicator,
        expected_version=expected_version(if_match, indicator),
        **payload.dict(exclude_unset=True),
    )
    set_etag(response, updated)
    return updated


@router.delete(
    "/{int:partnership_id}/indicators/{int:indicator_id}",
    response={204: None},
    summary="Delete an indicator",
    openapi_extra=WRITE_DOC,
)
def delete_indicator(request: HttpRequest, partnership_id: int, indicator_id: int, if_match: IfMatch = None):
    indicator = selectors.indicator_for(partnership=partnership_for(request, partnership_id), pk=indicator_id)
    services.indicator_delete(
        actor=request.user, indicator=indicator, expected_version=expected_version(if_match, indicator)
    )
    return Status(204, None)


@router.post(
    "/{int:partnership_id}/indicators/{int:indicator_id}/targets",
    response={201: TargetOut},
    summary="Set a yearly target",
)
def create_target(
    request: HttpRequest, partnership_id: int, indicator_id: int, payload: TargetIn, response: HttpResponse
):
    indicator = selectors.indicator_for(partnership=partnership_for(request, partnership_id), pk=indicator_id)
    created = services.indicator_target_create(actor=request.user, indicator=indicator, **payload.dict())
    set_etag(response, created)
    return Status(201, created)


@router.get(
    "/{int:partnership_id}/targets/{int:target_id}",
    response=TargetOut,
    summary="A yearly target",
    openapi_extra=READ_DOC,
)
def get_target(request: HttpRequest, partnership_id: int, target_id: int, response: HttpResponse):
    record = selectors.target_for(partnership=partnership_for(request, partnership_id), pk=target_id)
    set_etag(response, record)
    return record


@router.patch(
    "/{int:partnership_id}/targets/{int:target_id}",
    response=TargetOut,
    summary="Edit a target",
    openapi_extra=WRITE_DOC,
)
def update_target(
    request: HttpRequest,
    partnership_id: int,
    target_id: int,
    payload: TargetPatch,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    target = selectors.target_for(partnership=partnership_for(request, partnership_id), pk=target_id)
    updated = services.indicator_target_update(
        actor=request.user,
        target=target,
        expected_version=expected_version(if_match, target),
        **payload.dict(exclude_unset=True),
    )
    set_etag(response, updated)
    return updated


@router.delete(
    "/{int:partnership_id}/targets/{int:target_id}",
    response={204: None},
    summary="Delete a target",
    openapi_extra=WRITE_DOC,
)
def delete_target(request: HttpRequest, partnership_id: int, target_id: int, if_match: IfMatch = None):
    target = selectors.target_for(partnership=partnership_for(request, partnership_id), pk=target_id)
    services.indicator_target_delete(
        actor=request.user, target=target, expected_version=expected_version(if_match, target)
    )
    return Status(204, None)


@router.post(
    "/{int:partnership_id}/indicators/{int:indicator_id}/actuals",
    response={201: ActualOut},
    summary="Record the figure reached in a year",
)
def create_actual(
    request: HttpRequest, partnership_id: int, indicator_id: int, payload: ActualIn, response: HttpResponse
):
    indicator = selectors.indicator_for(partnership=partnership_for(request, partnership_id), pk=indicator_id)
    created = services.indicator_actual_record(actor=request.user, indicator=indicator, **payload.dict())
    set_etag(response, created)
    return Status(201, created)


@router.get(
    "/{int:partnership_id}/actuals/{int:actual_id}",
    response=ActualOut,
    summary="A figure reached in a year",
    openapi_extra=READ_DOC,
)
def get_actual(request: HttpRequest, partnership_id: int, actual_id: int, response: HttpResponse):
    record = selectors.actual_for(partnership=partnership_for(request, partnership_id), pk=actual_id)
    set_etag(response, record)
    return record


@router.patch(
    "/{int:partnership_id}/actuals/{int:actual_id}",
    response=ActualOut,
    summary="Correct a figure",
    openapi_extra=WRITE_DOC,
)
def update_actual(
    request: HttpRequest,
    partnership_id: int,
    actual_id: int,
    payload: ActualPatch,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    actual = selectors.actual_for(partnership=partnership_for(request, partnership_id), pk=actual_id)
    updated = services.indicator_actual_update(
        actor=request.user,
        actual=actual,
        expected_version=expected_version(if_match, actual),
        **payload.dict(exclude_unset=True),
    )
    set_etag(response, updated)
    return updated


@router.delete(
    "/{int:partnership_id}/actuals/{int:actual_id}",
    response={204: None},
    summary="Delete a figure",
    openapi_extra=WRITE_DOC,
)
def delete_actual(request: HttpRequest, partnership_id: int, actual_id: int, if_match: IfMatch = None):
    actual = selectors.actual_for(partnership=partnership_for(request, partnership_id), pk=actual_id)
    services.indicator_actual_delete(
        actor=request.user, actual=actual, expected_version=expected_version(if_match, actual)
    )
    return Status(204, None)


@router.get(
    "/{int:partnership_id}/progress",
    response=list[IndicatorProgressOut],
    summary="Progress of every indicator towards its yearly targets",
)
def get_progress(request: HttpRequest, partnership_id: int):
    return selectors.objective_progress(partnership=partnership_for(request, partnership_id))
