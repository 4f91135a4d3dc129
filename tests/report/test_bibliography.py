"""Every citation resolves: each ``\\cite`` key in the templates and each key that a reference
string of a derivation maps to (report.fragments.CITE_KEYS) has a ``\\bibitem``; every work that
a derivation of Problems 2-3 names is one of them."""
import re
from pathlib import Path

import pytest

from report.fragments import CITE_KEYS, cite_keys

TEMPLATES = Path(__file__).resolve().parents[2] / "report" / "templates"


def _bibitems() -> set[str]:
    return set(re.findall(r"\\bibitem\{([^}]+)\}", (TEMPLATES / "bibliography.tex").read_text()))


def test_every_cite_key_of_the_templates_has_an_entry():
    keys = set()
    for f in TEMPLATES.glob("*.tex"):
        for group in re.findall(r"\\cite(?:\[[^\]]*\])?\{([^}]+)\}", f.read_text()):
            keys |= {k.strip() for k in group.split(",")}
    assert keys and keys <= _bibitems(), keys - _bibitems()


def test_every_key_a_displayed_reference_maps_to_has_an_entry_and_every_entry_is_cited():
    """The bibliography holds exactly the works the document cites: the templates' \\cite keys and
    the works named by the references of the derivations it displays (report.sections.base.SLOTS)."""
    from derive import load
    from report.sections.base import SLOTS
    shown = {i for ids in SLOTS.values() for i in ids}
    cited = {k for d in load() if d.id in shown for ref in d.references for k in cite_keys(ref)}
    sections = TEMPLATES.parent / "sections"
    for f in [*TEMPLATES.glob("*.tex"), *sections.glob("*.py")]:
        for group in re.findall(r"\\cite(?:\[[^\]]*\])?\{([^}]+)\}", f.read_text()):
            cited |= {k.strip().strip("{}") for k in group.split(",") if re.fullmatch(r"[a-z]+\d{4}", k.strip().strip("{}"))}
    assert cited == _bibitems(), (cited - _bibitems(), _bibitems() - cited)


@pytest.mark.parametrize("topic", ["kl", "elbo"])
def test_every_reference_of_problems_2_and_3_cites_an_entry_once(topic):
    """Each derivation's references name a work of the bibliography (PyTorch, a program, aside),
    and no two derivations of the topic print the same reference block."""
    from derive import load
    blocks = []
    for d in load([topic]):
        for ref in d.references:
            assert cite_keys(ref) or ref.startswith("PyTorch"), (d.id, ref)
        if d.references:
            blocks.append(d.references)
    assert len(blocks) == len(set(blocks)), blocks
