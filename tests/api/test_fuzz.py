"""The API under attack: schemathesis makes requests for every operation of the committed
docs/openapi.json, valid and invalid, against the app in-process: as the public, and for the
routes that read a token, with each role's token too. No request may get a 5xx, and every
documented answer must match the document.

Bounded and reproducible: a fixed number of examples per operation, derandomized, no example
database. Three requests in four are steered to real values (the plan's slug and measure codes,
a register item, a meeting, a police.uk force and month) so that they reach past the 404s into the
code that reads and writes.
"""

from __future__ import annotations

import collections
import contextlib
from types import SimpleNamespace

import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
)

from oversight.api.schema import COMMITTED

from conftest import ROLES, role_name

SCHEMA = schemathesis.openapi.from_path(COMMITTED)
OPERATIONS = sorted(
    (result.ok() for result in SCHEMA.get_all_operations()),
    key=lambda op: (op.method == "get", op.path),  # writes first, so the reads meet what they wrote
)
# Requests per operation and caller: the one write route is where input does the most.
EXAMPLES = {"get": 20, "post": 60}
CHECKS = [
    not_a_server_error,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
MODES = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]

POLICE_UK_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context\n"
)
POLICE_UK_ROWS = [
    ("2018-10", "-1.909747,52.491822", "E01033559,Birmingham 049E", "Burglary"),
    ("2018-10", "-1.541,52.281", "E01031077,Warwick 011B", "Vehicle crime"),
    ("2018-11", "-1.541,52.281", "E01031077,Warwick 011B", "Burglary"),
    ("2018-11", "-1.52,52.40", "E01031001,North Warwickshire 001A", "Anti-social behaviour"),
]


def _police_uk_archive(folder):
    """Two months of a few Warwickshire crimes, in the data.police.uk archive layout."""
    for month in ("2018-10", "2018-11"):
        rows = [
            f"{'' if kind == 'Anti-social behaviour' else f'c{month}{n}'},{m},Warwickshire Police,"
            f"Warwickshire Police,{where},On or near High Street,{lsoa},{kind},,\n"
            for n, (m, where, lsoa, kind) in enumerate(POLICE_UK_ROWS)
            if m == month
        ]
        (folder / month).mkdir(parents=True)
        text = POLICE_UK_HEADER + "".join(rows)
        (folder / month / f"{month}-warwickshire-street.csv").write_text(text, encoding="utf-8")
    return folder


def _real_values(site, tmp_path) -> SimpleNamespace:
    """Load every register, the scrutiny demo and two months of police.uk crimes beside the demo
    site; return real path parameters by route and real query and body values by name."""
    from oversight.lib.audience import Audience
    from oversight.lib.policeuk import CRIME_TYPES
    from oversight.opendata.groups import NAMED
    from oversight.opendata.importers import import_archive
    from oversight.registers import demo as registers_demo
    from oversight.registers import exports
    from oversight.registers.actions import import_register, publish_items
    from oversight.registers.importers import KINDS, read_register
    from oversight.scrutiny import demo as scrutiny_demo
    from oversight.scrutiny.actions import import_scrutiny
    from oversight.scrutiny.importers import read_scrutiny
    from oversight.scrutiny.models import Body, Meeting

    for kind in registers_demo.ORDER:
        path = registers_demo.DATA / f"{kind}.csv"
        import_register(kind, read_register(kind, path, site.plan), by="test")
        if kind != "bids":  # one register left in draft, which the API must not show
            publish_items(kind, by="test")
    for path in sorted(scrutiny_demo.DATA.glob("*.yaml")):
        import_scrutiny(read_scrutiny(path), by="test")
    import_archive(_police_uk_archive(tmp_path / "police-uk"), by="test")

    plan = site.plan.slug
    codes = list(site.plan.measures.values_list("code", flat=True))
    in_path = ["2013-14-q1", "2013-14-q2", "2013-14", "2013-06", "2013/14 Q2", "2099-00-q1"]
    prefix = "/api/v1/"
    paths = {
        "plans/{slug}": [{"slug": plan}],
        "plans/{slug}/periods": [{"slug": plan}],
        "plans/{slug}/observations": [{"slug": plan}],
        "plans/{slug}/measures/{code}/observations": [{"slug": plan, "code": c} for c in codes],
        "plans/{slug}/periods/{period}/measures": [{"slug": plan, "period": p} for p in in_path],
        "registers/objectives/{objective_id}/thread": [
            {"objective_id": pk} for pk in site.plan.objectives.values_list("pk", flat=True)
        ],
        "registers/{kind}": [{"kind": kind} for kind in KINDS],
        "registers/{kind}/{slug}": [
            {"kind": kind, "slug": slug}
            for kind in KINDS
            for slug in exports.queryset(kind, audience=Audience.STAFF).values_list(
                "slug", flat=True
            )[:2]
        ],
        "scrutiny/meetings/{meeting_id}": [
            {"meeting_id": pk} for pk in Meeting.objects.values_list("pk", flat=True)
        ],
    }
    values = {
        "measure": codes,
        "period": ["2013/14 Q1", "2013/14 Q2", "2013/14", "2013-06", "2099/00 Q1", "2018-10"],
        "area": ["", *site.plan.areas.values_list("code", flat=True), "Warwick"],
        "basis": ["period", "ytd"],
        "value": [1517, "1,639", 0, 71.2, -3, "12.5"],
        "numerator": [3, "120"],
        "denominator": [4, "1,000"],
        "status": ["on_track", "complete", "at_risk"],
        "body": list(Body.objects.values_list("slug", flat=True)),
        "state": ["", "open", "overdue"],
        "force": ["warwickshire", "west-mercia"],
        "month": ["2018-10", "2018-11", "2019-01"],
        "crime_type": ["Burglary", "Vehicle crime", *CRIME_TYPES],
        "group": list(NAMED),
        "within_days": [1, 30, 365, 3650],
    }
    return SimpleNamespace(paths={prefix + p: v for p, v in paths.items()}, values=values)


def requests_for(operation, real, headers):
    """Requests for `operation` from schemathesis, with the caller's `headers`; three in four
    with real values put in."""
    generated = st.one_of(*(operation.as_strategy(generation_mode=mode) for mode in MODES))
    return _steered(generated, operation, real, headers)


def _body_fields(operation) -> set[str]:
    """The names of the fields the operation's JSON body may have."""
    body = operation.definition.raw.get("requestBody", {}).get("content", {})
    ref = body.get("application/json", {}).get("schema", {}).get("$ref", "")
    found = SCHEMA.raw_schema["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
    return set(found.get("properties", {}))


@st.composite
def _steered(draw, generated, operation, real, headers):
    case = draw(generated)
    # Assigned, not edited in place, so that schemathesis judges the request afresh (a negative
    # case's missing token or bad field may have been replaced by a real one).
    if headers:
        case.headers = {**(case.headers or {}), **headers}
    if draw(st.integers(0, 3)) == 3:  # 0, where hypothesis starts, steers
        return case
    if operation.path in real.paths:
        real_path = draw(st.sampled_from(real.paths[operation.path]))
        case.path_parameters = {**case.path_parameters, **real_path}
    if case.query:
        case.query = _with_real_values(draw, case.query, set(), real)
    if isinstance(case.body, dict):
        case.body = _with_real_values(draw, case.body, _body_fields(operation), real)
    return case


def _with_real_values(draw, container, optional, real):
    """`container` with most of its named values, present or optional, made real."""
    changed = dict(container)
    for name in sorted(set(container) | optional):
        if name in real.values and draw(st.integers(0, 7)) < 7:
            changed[name] = draw(st.sampled_from(real.values[name]))
    return changed


def _attack(operation, real, app, headers, who, failures, sent):
    """Send up to EXAMPLES requests for `operation`, counted in `sent`; keep the first report of
    each kind of failure in `failures`."""

    @settings(
        max_examples=EXAMPLES[operation.method],
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=requests_for(operation, real, headers))
    def attack(case):
        with transaction.atomic():
            response = case.call(app=app)
            if response.status_code >= 500:
                # Undone, so that a request PostgreSQL refused cannot spoil the next one.
                transaction.set_rollback(True)
        sent[who] += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except FailureGroup as exc:
            for failure in exc.exceptions:
                failures.setdefault((operation.label, who, failure.title), str(exc))

    attack()


@contextlib.contextmanager
def _connection_kept_open():
    """The WSGI app closes the database connection at the end of each request, as a server must;
    inside the test's transaction that would end the test's database on PostgreSQL. Django's test
    client does the same as this."""
    signals = [request_started, request_finished]
    for signal in signals:
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in signals:
            signal.connect(close_old_connections)


def test_no_request_from_anyone_makes_the_api_fail_or_answer_off_its_document(site, tmp_path):
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    real = _real_values(site, tmp_path)
    failures: dict[tuple[str, str, str], str] = {}
    sent: collections.Counter = collections.Counter()
    with _connection_kept_open():
        for role in ROLES:
            who = role_name(role)
            headers = {"Authorization": f"Bearer {site.tokens[role]}"} if role else {}
            for operation in OPERATIONS:
                # A token changes only what the routes that read one answer.
                if role is None or operation.definition.raw.get("security"):
                    _attack(operation, real, app, headers, who, failures, sent)

    print(f"{sum(sent.values())} requests over {len(OPERATIONS)} operations: {dict(sent)}")
    assert sent["public"] >= len(OPERATIONS) and sent["editor"] > 0
    assert not failures, "\n\n".join(
        f"{label} as {who}: {title}\n{detail}" for (label, who, title), detail in failures.items()
    )


# What the fuzzer found, each kept as a named example so it stays fixed whatever the search does.

PLAN = "/api/v1/plans/west-mercia-2013"


def test_the_document_lets_the_public_read_without_a_token_where_the_route_does(client, db):
    document = client.get("/api/v1/openapi.json").json()
    reads = [
        op
        for item in document["paths"].values()
        for op in item.values()
        if op["x-access"].startswith("public") and "security" in op
    ]
    assert reads and all({} in op["security"] for op in reads)
    write = document["paths"]["/api/v1/plans/{slug}/observations"]["post"]
    assert {} not in write["security"]


def test_a_body_of_the_wrong_shape_is_refused_with_its_problems_by_field(client, site):
    response = client.post(
        f"{PLAN}/observations",
        {"measure": "2.2", "value": [51.5]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {site.tokens['editor']}",
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "2 problems; nothing was saved"
    problems = {p["field"]: p["reason"] for p in response.json()["problems"]}
    assert problems["period"] == "Field required"
    assert problems["value"].startswith("Input should be a valid string; ")


def test_a_query_value_of_the_wrong_type_is_refused_with_its_problem(client, db):
    response = client.get("/api/v1/registers/contracts/expiring?within_days=soon")
    assert response.status_code == 422
    assert [p["field"] for p in response.json()["problems"]] == ["within_days"]


def test_a_nul_character_in_an_address_is_refused_before_any_lookup(client, site):
    # PostgreSQL cannot compare text with NUL: each of these was a server error there.
    for url in [
        "/api/v1/plans/%00",
        f"{PLAN}/measures/2.1/observations?area=%00",
        "/api/v1/scrutiny/actions?owner=x%00",
        "/plans/%00/",
        "/?%00=1",
    ]:
        response = client.get(url)
        assert response.status_code == 400, url
        assert "A NUL character (%00) is not allowed" in response.content.decode(), url


def test_a_nul_character_in_a_submitted_field_is_refused_by_field(client, site):
    from oversight.plans.models import Observation

    response = client.post(
        f"{PLAN}/observations",
        {"measure": "2.2", "period": "2013/14 Q2", "value": "51.5", "comment": "late\x00"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {site.tokens['editor']}",
    )
    assert response.status_code == 422
    assert response.json()["problems"] == [
        {"field": "comment", "reason": "a NUL character (\\u0000) cannot be stored"}
    ]
    assert not Observation.objects.filter(measure__code="2.2", period__code="2013/14 Q2").exists()


def test_a_period_before_the_year_1000_is_answered_not_a_server_error(client, site):
    response = client.get(f"{PLAN}/periods/0999-00-q1/measures")
    assert response.status_code == 200
    assert {row["period"] for row in response.json()} == {"0999/00 Q1"}
