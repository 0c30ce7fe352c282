"""Events pickle (they cross process boundaries) and come back equal, typed and immutable."""

from __future__ import annotations

import copy
import datetime as dt
import pickle

import pytest
from event_samples import required_attributes

from swf.models.event import EVENT_CLASSES, UnknownEvent, from_api

STAMP = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("event_type", sorted(EVENT_CLASSES))
def test_every_event_type_survives_pickle(event_type: str) -> None:
    key = event_type[0].lower() + event_type[1:] + "EventAttributes"
    attributes = {**required_attributes(event_type), "x": "1"}  # its shape, plus an unknown
    event = from_api(
        {"eventId": 3, "eventType": event_type, "eventTimestamp": STAMP, key: attributes}
    )
    back = pickle.loads(pickle.dumps(event))
    assert type(back) is type(event) is EVENT_CLASSES[event_type]
    assert back == event and back.attributes == attributes and back.timestamp == STAMP
    assert copy.deepcopy(event) == event
    with pytest.raises(AttributeError):
        back.id = 4  # type: ignore[misc]


def test_an_unknown_event_keeps_its_type_through_pickle() -> None:
    raw = {
        "eventId": 1,
        "eventType": "FutureThing",
        "eventTimestamp": 5.0,
        "futureThingEventAttributes": {"a": 1},
    }
    event = from_api(raw)
    back = pickle.loads(pickle.dumps(event))
    assert isinstance(back, UnknownEvent)
    assert (back.event_type, back.attributes, back.epoch) == ("FutureThing", {"a": 1}, 5.0)
