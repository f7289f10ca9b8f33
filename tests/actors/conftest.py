import pytest

from tests.factories import make_partner


@pytest.fixture
def territories():
    """Sliven (BG) and the Drôme (FR), side by side as far as the tests care."""
    return {"sliven": make_partner("sliven", bbox=(25.8, 42.4, 26.8, 43.0),
                                   name_en="Sliven"),
            "drome": make_partner("drome", bbox=(4.6, 44.1, 5.9, 45.4), country="FR",
                                  languages=["fr", "en"], name_en="Drôme")}
