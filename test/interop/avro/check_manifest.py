#!/usr/bin/python3
"""Reads Iceberg manifests and manifest lists with Apache Avro's Python library (python3-avro),
an implementation independent of Floe, and prints what it found as JSON on one line per file:
the file kind, the field ids of the schema (by dotted field name) and every record, so that a
test can compare them with what Floe wrote. Exits non-zero when a file does not read."""

import base64
import json
import math
import sys
import warnings

import avro.datafile
import avro.io


def field_ids(schema, prefix, out):
    """Collects 'field-id' attributes of record fields, recursing into unions and arrays."""
    kind = schema.type
    if kind == "record":
        for field in schema.fields:
            name = prefix + field.name
            field_id = field.props.get("field-id")
            if field_id is not None:
                out[name] = field_id
            field_ids(field.type, name + ".", out)
    elif kind == "union":
        for branch in schema.schemas:
            field_ids(branch, prefix, out)
    elif kind == "array":
        element_id = schema.props.get("element-id")
        if element_id is not None:
            out[prefix + "element"] = element_id
        field_ids(schema.items, prefix, out)


def plain(value):
    """Makes a decoded record JSON-friendly: bytes become base64 text."""
    if isinstance(value, bytes):
        return {"base64": base64.b64encode(value).decode()}
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    return str(value)  # Decimals, dates, UUIDs: their text forms.


def check(path):
    with open(path, "rb") as handle:
        reader = avro.datafile.DataFileReader(handle, avro.io.DatumReader())
        schema = reader.datum_reader.writers_schema
        ids = {}
        field_ids(schema, "", ids)
        records = [plain(record) for record in reader]
        metadata = {key: value.decode("utf-8", "replace") for key, value in reader.meta.items()
                    if not key.startswith("avro.")}
        kind = "manifest_list" if "manifest_path" in ids else "manifest"
        print(json.dumps({"path": path, "kind": kind, "codec": reader.codec, "field_ids": ids,
                          "metadata": metadata, "records": records}))


def main():
    warnings.simplefilter("ignore")  # logicalType "map" is Iceberg's, unknown to Avro.
    for path in sys.argv[1:]:
        check(path)


if __name__ == "__main__":
    main()
