"""Register values beyond their database column are refused with the limit in the message, and
nothing is written: a sum of money is NUMERIC(14, 2), a count a small or ordinary integer."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from oversight.registers.importers import KINDS

MONEY_RANGE = "this column holds figures from -999,999,999,999.99 to 999,999,999,999.99"


@pytest.mark.parametrize(
    "kind, text, expected",
    [
        (
            "decisions",
            "id,title,made_on,value\nx,T,2023-01-01,1e30\n",
            f'row 2, column value: "1E+30" is out of range: {MONEY_RANGE}',
        ),
        (
            "grants",
            "id,title,purpose,recipient_name,amount,awarded_on\nx,T,P,R,1000000000000,2023-01-01\n",
            f'row 2, column amount: "1000000000000" is out of range: {MONEY_RANGE}',
        ),
        (
            "bids",
            "id,funder,fund,outcome,amount_requested\nx,HO,F,pending,12.345\n",
            'row 2, column amount_requested: "12.345" has more than 2 decimal places',
        ),
        (
            "contracts",
            "id,title,value\nx,T,NaN\n",
            'row 2, column value: "NaN" is not a number',
        ),
        (
            "contracts",
            "id,title,extension_options\nx,T,40000\n",
            "row 2, column extension_options: 40,000 is too large: the largest this column "
            "holds is 32,767",
        ),
        (
            "grants",
            "id,title,purpose,amount,awarded_on,summary_count\nx,T,P,5,2023-01-01,99999999999\n",
            "row 2, column summary_count: 99,999,999,999 is too large: the largest this column "
            "holds is 2,147,483,647",
        ),
        (
            "contracts",
            "id,title,alert_months\nx,T,²\n",
            'row 2, column alert_months: "²" is not a whole number',
        ),
    ],
)
def test_a_register_value_beyond_its_column_is_refused_with_the_limit(
    small_plan, write, kind, text, expected
):
    with pytest.raises(CommandError) as err:
        call_command("registers", "import", kind, str(write("f.csv", text)))
    assert expected in str(err.value)
    assert KINDS[kind].model.objects.count() == 0


@pytest.mark.parametrize(
    "kind, text, expected",
    [
        (
            "decisions",
            "id,title,made_on,documents\n"
            "x,T,2023-01-01,https://www.example.org/notice.pdf; javascript:alert(1)\n",
            'row 2, column documents: "javascript:alert(1)" is not a web address: a link must '
            "start with http:// or https://",
        ),
        (
            "programmes",
            "id,title,funder_name,funder_org_id,url\nx,T,PCC,GB-GOR-TEST,vbscript:msgbox(1)\n",
            'row 2, column url: "vbscript:msgbox(1)" is not a web address',
        ),
    ],
)
def test_a_register_link_that_is_not_a_web_address_is_refused(
    small_plan, write, kind, text, expected
):
    with pytest.raises(CommandError) as err:
        call_command("registers", "import", kind, str(write("f.csv", text)))
    assert expected in str(err.value)
    assert KINDS[kind].model.objects.count() == 0


def test_a_stored_javascript_document_link_is_shown_as_text_not_as_a_link(
    small_plan, write, client
):
    from oversight.registers.actions import publish_items
    from oversight.registers.models import Decision

    good = "https://www.example.org/notice.pdf"
    call_command(
        "registers",
        "import",
        "decisions",
        str(
            write(
                "d.csv",
                f"id,title,made_on,published_on,documents\nd1,T,2023-01-01,2023-01-02,{good}\n",
            )
        ),
    )
    publish_items("decisions", by="test")
    # As if written by SQL or an older version: the page is the last line of defence.
    Decision.objects.update(documents=[good, "javascript:alert(1)"])
    page = client.get("/registers/decisions/d1/").text
    assert f'href="{good}"' in page
    assert "javascript:alert(1)" in page and 'href="javascript:' not in page
