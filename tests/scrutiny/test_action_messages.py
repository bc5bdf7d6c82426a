"""The importer's words about an action's state read as English for every status."""

import pytest

from oversight.lib.problems import ImportRefused
from oversight.scrutiny.importers import read_scrutiny

GOOD = """\
bodies:
  - {id: test-panel, name: Testshire Police and Crime Panel, kind: panel}
meetings:
  - body: test-panel
    date: 2019-09-10
    status: held
    items:
      - minute: 2
        title: Performance report
        agreed:
          - text: The PCC would report back on confidence
            action: {owner: PCC, due_meeting: 2019-11}
  - {body: test-panel, month: 2019-11}
"""


@pytest.mark.parametrize("status", ["answered", "closed"])
def test_an_action_without_its_answer_is_refused_in_plain_english(db, write, status):
    bad = GOOD.replace(
        "action: {owner: PCC, due_meeting: 2019-11}",
        f"action: {{owner: PCC, status: {status}, reported_at: 2019-11}}",
    )
    with pytest.raises(ImportRefused) as caught:
        read_scrutiny(write("bad.yaml", bad))
    lines = caught.value.lines()
    assert any(f"an action is {status} only with its answer" in line for line in lines), lines
    assert not any(f"an {status} action" in line for line in lines), lines
