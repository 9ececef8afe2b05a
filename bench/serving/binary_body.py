#!/usr/bin/env python3
"""The rows of an MLflow dataframe_records body as one Open Inference request in the binary tensor data extension's
form (Triton's and KServe's): the JSON request, then each input's bytes in input order. Numbers are little-endian in the
datatype the server's metadata gives (a missing number is NaN); text is BYTES, a 4-byte little-endian length and UTF-8
per element. A text or integer input with a missing value has no binary form, so it goes as JSON data, which the extension allows.
Every output is asked for as binary data. Prints the JSON's length, the Inference-Header-Content-Length to send.

    binary_body.py METADATA.json RECORDS.json OUT.bin
"""
import json
import struct
import sys

FORMATS = {"FP32": "f", "FP64": "d", "INT32": "i", "INT64": "q", "INT16": "h", "INT8": "b",
           "UINT8": "B", "UINT16": "H", "UINT32": "I", "UINT64": "Q", "FP16": "e"}

metadata_file, records_file, out_file = sys.argv[1:4]
inputs = json.load(open(metadata_file))["inputs"]
rows = json.load(open(records_file))["dataframe_records"]
tensors, blobs = [], []
for tensor in inputs:
    name, datatype = tensor["name"], tensor["datatype"]
    values = [row.get(name) for row in rows]
    entry = {"name": name, "shape": [len(values)], "datatype": datatype}
    if any(v is None for v in values) and datatype not in ("FP16", "FP32", "FP64"):
        entry["data"] = values
    elif datatype == "BYTES":
        encoded = [v.encode("utf-8") for v in values]
        blobs.append(b"".join(struct.pack("<I", len(e)) + e for e in encoded))
        entry["parameters"] = {"binary_data_size": len(blobs[-1])}
    else:
        numbers = [float("nan") if v is None else v for v in values]
        blobs.append(struct.pack(f"<{len(numbers)}{FORMATS[datatype]}", *numbers))
        entry["parameters"] = {"binary_data_size": len(blobs[-1])}
    tensors.append(entry)

header = json.dumps({"inputs": tensors, "parameters": {"binary_data_output": True}}, separators=(",", ":")).encode()
with open(out_file, "wb") as out:
    out.write(header + b"".join(blobs))
print(len(header))
