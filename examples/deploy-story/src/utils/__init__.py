from src.utils.validators import validate_upload

__all__ = ["validate_upload"]
