"""Language identification per article, restricted to a news desk's languages for speed."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from newsfuse import settings


@functools.cache
def _identifier() -> Any:
    import py3langid
    from py3langid.langid import LanguageIdentifier

    model = Path(py3langid.__file__).parent / "data" / "model.npz.xz"
    identifier = LanguageIdentifier.from_model_file(model, norm_probs=True)
    identifier.set_languages(list(settings.LANGUAGES))
    return identifier


def identify_language(text: str) -> tuple[str | None, float]:
    """ISO 639-1 code and probability; ``None`` when the text is too short to tell."""
    sample = text[: settings.LANGUAGE_SAMPLE_CHARS]
    letters = sum(map(str.isalpha, sample))
    if letters < settings.MIN_LANGUAGE_LETTERS:
        return None, 0.0
    code, probability = _identifier().classify(sample)
    if (letters < settings.SHORT_TEXT_LETTERS and code != "en"
            and probability < settings.SHORT_TEXT_MIN_PROBABILITY):
        return None, float(probability)  # a headline is too short to call it foreign
    return str(code), float(probability)
