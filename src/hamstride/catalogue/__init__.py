"""The exercise catalogue: YAML data files shipped in the package, validated on load."""

from hamstride.catalogue.loader import Catalogue, load_catalogue
from hamstride.catalogue.model import Exercise

__all__ = ["Catalogue", "Exercise", "load_catalogue"]
