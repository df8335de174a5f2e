"""Text stages: boilerplate removal, datelines, repairs, segmentation, language."""

from newsfuse.text.clean import clean_article

__all__ = ["clean_article"]
