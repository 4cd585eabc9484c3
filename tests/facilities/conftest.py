"""The facility tests share the indicator tests' helpers: values and facilities entered
through the real actions."""

from tests.indicators.conftest import enter, facilities, topic

__all__ = ["enter", "facilities", "topic"]
