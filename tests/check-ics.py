#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Reads an iCalendar file with python3-icalendar (a parser independent of
# libical, which wrote it) and prints a JSON summary of every VEVENT, for
# tests/test-exchange.c. Exit 1 with a message when the file does not parse.

import json
import sys

import icalendar


def when(component, name):
    value = component.decoded(name)
    return {
        "iso": value.isoformat(),
        "tzid": component[name].params.get("TZID"),
    }


def main(path):
    with open(path, "rb") as f:
        calendar = icalendar.Calendar.from_ical(f.read())
    events = []
    for event in calendar.walk("VEVENT"):
        events.append({
            "uid": str(event["UID"]),
            "dtstart": when(event, "DTSTART"),
            "dtend": when(event, "DTEND"),
            "dtstamp": event.decoded("DTSTAMP").isoformat(),
            "status": str(event["STATUS"]),
            "summary": str(event["SUMMARY"]),
        })
    # Every property of every component, parameters included, unfolded and
    # decoded: what a calendar that imports the file could show anyone.
    texts = []
    for component in calendar.walk():
        for name, value in component.property_items(recursive=False):
            if isinstance(value, str):  # vText: the text itself
                text = str(value)
            else:
                text = value.to_ical() if hasattr(value, "to_ical") else value
            if isinstance(text, bytes):
                text = text.decode("utf-8")
            params = getattr(value, "params", {})
            texts.append(name + "".join(";%s=%s" % p for p in params.items()) +
                         ":" + str(text))
    summary = {
        "prodid": str(calendar["PRODID"]),
        "version": str(calendar["VERSION"]),
        "timezones": [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")],
        "events": events,
        "texts": texts,
    }
    json.dump(summary, sys.stdout, ensure_ascii=False)
    print()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: check-ics.py FILE.ics")
    main(sys.argv[1])
