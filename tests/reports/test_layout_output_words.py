"""A funded output in the committee-paper layouts reads as a sentence, saying what is planned and
what is delivered, never the record's fragment "Not yet reported of 14 initiatives."."""

from oversight.reports.sources import _commissioning_blocks


def words(delivered):
    group = {
        "contracts": [],
        "outputs": [{"description": "initiatives", "target": 14, "delivered": delivered}],
    }
    (paragraph,) = _commissioning_blocks(group)
    return "".join(str(x) for x in paragraph.content)


def test_an_output_not_yet_delivered_says_what_is_planned():
    assert words(None) == "14 initiatives planned; nothing delivered is reported yet."


def test_an_output_delivered_says_how_many_of_those_planned():
    assert words(9) == "9 of the 14 initiatives planned delivered."


def test_a_services_outcomes_are_named_as_the_record_names_them():
    kpi = {
        "period": "2023/24 Q2",
        "referrals": None,
        "people_supported": 43,
        "outcomes": 12,
        "outcomes_note": "direct contact cases closed",
        "police_share_text": "",
    }
    contract = {"title": "DRIVE", "provider": "", "kpi": kpi, "reviews": []}
    (paragraph,) = _commissioning_blocks({"contracts": [contract], "outputs": []})
    text = "".join(str(x) for x in paragraph.content)
    assert text == "DRIVE: in 2023/24 Q2, 43 people supported, 12 direct contact cases closed."
