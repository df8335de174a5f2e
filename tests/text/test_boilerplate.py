"""Each furniture rule on lines written for it, and reporting lines it must leave alone."""

from __future__ import annotations

import pytest

from newsfuse.text.boilerplate import is_boilerplate_line, strip_inline

FURNITURE = [
    ("advertisement", "ad or page label"),
    ("Advertisement", "ad or page label"),
    ("Loading...", "ad or page label"),
    ("Story continues below advertisement", "ad or page label"),
    ("By subscribing you can help us tell the story right.", "subscription or donation pitch"),
    ("Please consider supporting us with a donation today.", "subscription or donation pitch"),
    ("Sign up for our daily newsletter to get the headlines first.",
     "subscription or donation pitch"),
    ("Comments are closed.", "comments notice"),
    ("Leave a comment", "comments notice"),
    ("Share this article on Facebook", "share or follow prompt"),
    ("Follow us on Twitter for live updates.", "share or follow prompt"),
    ("Photo: Reuters/Thaier al-Sudani", "photo credit"),
    ("(AP Photo/Nasser Nasser)", "photo credit"),
    ("Image copyright Getty Images", "photo credit"),
    # timeline17-dev H1N1_reuters, article 385 (PTB-tokenised): a caption label, then the
    # second caption of the pair
    ("Photo captions : Top : A labourer feeds piglets at a farm on the outskirts of Suining , "
     "Sichuan province April 27 , 2009 .", "photo caption"),
    ("Bottom : Piglets suckle milk from their mother at a farm in Ganyu County , Jiangsu "
     "province April 27 , 2009 .", "photo caption"),
    ("Reporting by Ahmed Rasheed; writing by Maha El Dahan; editing by Kevin Liffey",
     "credit line"),
    ("(Additional reporting by Jeff Mason; Editing by Rosalba O’Brien)", "credit line"),
    ("Associated Press writer Zeina Karam in Beirut contributed to this report.", "credit line"),
    ("By QASSIM ABDUL-ZAHRA", "byline"),
    ("By Jane Doe and John Roe, Associated Press", "byline"),
    ("Read more: How the port became the busiest in the region", "related-content link"),
    ("— Continental Service", "source signature"),
    # another page's story in a sidebar, however many sentences its opening holds
    ("Pier Paolo Santi è attualmente analista presso l' OMCOM. Autore di libri e diversi "
     "report, tre volte...leggi tutto »", "teaser"),
    ("Le président a démissionné. Le pays attend...Lire la suite", "teaser"),
]

REPORTING = [
    "By mid-afternoon, most appeared to have heeded a call to withdraw.",
    "By nightfall, protesters had withdrawn from the embassy complex.",
    "Netflix said it added 2 million subscribers in the quarter, beating forecasts.",
    "The advertisement campaign cost the party $2 million, its treasurer said.",
    "Comments by the minister were closed to the press, officials said.",
    "Reporters were told the photo was taken by a soldier at the checkpoint.",
    "The union said it would share the proposal with members on Monday.",
    "Watch officials said the dam had been inspected in May.",
    "The talks stalled. Then, he said, there was more...",
    "Top officials said the farm at the bottom of the valley would reopen on Monday.",
    "Bottom line: the bank lost $2 billion in the quarter, its chief executive said.",
]


@pytest.mark.parametrize(("line", "reason"), FURNITURE)
def test_furniture_is_recognised(line: str, reason: str):
    assert is_boilerplate_line(line) == reason


@pytest.mark.parametrize("line", REPORTING)
def test_reporting_is_left_alone(line: str):
    assert is_boilerplate_line(line) is None


def test_embedded_post_keeps_words_drops_furniture():
    line = ("The man here asks the protesters to step back. From outside the #US #Embassy in "
            "Baghdad's Green Zone. #Iraq pic.twitter.com/hSvaLFJ3Tk — Sinan Salaheddin Mahmoud "
            "(@sinansm) December 31, 2019")
    text, removed, embed = strip_inline(line)
    assert text == ("The man here asks the protesters to step back. From outside the US Embassy "
                    "in Baghdad's Green Zone.")
    assert embed is not None and embed.author == "Sinan Salaheddin Mahmoud"
    assert embed.handle == "sinansm" and embed.posted == "December 31, 2019"
    assert {r.text for r in removed} >= {"pic.twitter.com/hSvaLFJ3Tk", "#Iraq"}


def test_credit_in_parentheses_cut_from_reporting_line():
    line = ("More than 5,000 US troops have been deployed in Iraq. (Additional reporting by "
            "Jeff Mason in Palm Beach; Editing by Rosalba O’Brien)")
    text, removed, embed = strip_inline(line)
    assert text == "More than 5,000 US troops have been deployed in Iraq."
    assert removed[0].reason == "credit line" and embed is None


def test_reporting_with_a_dash_is_not_an_embed():
    line = "The strike – the first since 2019 – delayed exports (officials said) on Monday."
    text, removed, embed = strip_inline(line)
    assert text == line and removed == [] and embed is None


def test_leading_photo_credit_and_caps_headline_cut():
    line = ("(Patricia de Melo Moreira/Pool via REUTERS) Netanyahu was indicted in November on "
            "charges of bribery.")
    assert strip_inline(line)[0] == "Netanyahu was indicted in November on charges of bribery."
    line = ("ISRAEL'S NETANYAHU WINS LIKUD PARTY PRIMARY CHALLENGE IN LANDSLIDE Israel's prime "
            "minister said Wednesday he would seek immunity.")
    text, removed, _ = strip_inline(line)
    assert text.startswith("Israel's prime minister said")
    assert removed[0].reason == "related-content link"
    kept = "NATO and the EU met in Brussels on Monday, officials said."
    assert strip_inline(kept)[0] == kept
