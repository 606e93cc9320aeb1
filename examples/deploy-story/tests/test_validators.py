import pytest

from src.utils.validators import validate_upload


def test_rejects_text():
    with pytest.raises(ValueError):
        validate_upload(b"hello")
