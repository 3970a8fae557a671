"""Data migrations bring rows written before them to the new rule."""

import datetime
import importlib

import pytest
from django.apps import apps

from actions.models import IndicatorReading
from tests.actions.factories import IndicatorReadingFactory

pytestmark = pytest.mark.django_db


def test_readings_loaded_as_demo_before_is_demo_existed_are_marked_demo():
    migration = importlib.import_module("actions.migrations.0003_indicator_reading_is_demo")
    demo = IndicatorReadingFactory(note="Demonstration data")
    real = IndicatorReadingFactory(
        measure=demo.measure, date=datetime.date(2026, 12, 31), note="From the quarterly return"
    )

    migration.mark_demo_readings(apps, None)

    assert IndicatorReading.objects.get(pk=demo.pk).is_demo
    assert not IndicatorReading.objects.get(pk=real.pk).is_demo
