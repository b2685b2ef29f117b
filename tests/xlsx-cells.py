#!/usr/bin/env python3
"""Print what an .xlsx workbook holds, read independently of libxlsxwriter
(zipfile and the sheet's XML), for the tests of -f xlsx:

    frozen: A2                        the frozen pane's top-left cell
    widths: 12 10 8                   column widths, whole characters
    1: *s:id | *s:rows                one line a row: * bold, then
    2: s:K1 | n:624 | p:97.4% | t:2023-11-27 14:03:05 | -
         s: a shared string, i: an inline string, n: a number (General),
         p: a percentage (its format shown as Excel would, 0.0%),
         t: a date-time / d: a date (from the serial number), -: empty

Usage: xlsx-cells.py FILE.xlsx
"""
import datetime
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def col_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def shared_strings(z):
    if "xl/sharedStrings.xml" not in z.namelist():
        return []
    root = ET.fromstring(z.read("xl/sharedStrings.xml"))
    return ["".join(t.text or "" for t in si.iter("{%s}t" % NS["m"]))
            for si in root.findall("m:si", NS)]


def styles(z):
    """For each cell style index: (bold, number format code or None)."""
    root = ET.fromstring(z.read("xl/styles.xml"))
    fmts = {int(f.get("numFmtId")): f.get("formatCode")
            for f in root.findall("m:numFmts/m:numFmt", NS)}
    fonts = [f.find("m:b", NS) is not None
             for f in root.findall("m:fonts/m:font", NS)]
    out = []
    for xf in root.findall("m:cellXfs/m:xf", NS):
        fid = int(xf.get("numFmtId", "0"))
        out.append((fonts[int(xf.get("fontId", "0"))], fmts.get(fid)))
    return out


def serial_to_text(v, code):
    when = datetime.datetime(1899, 12, 30) + datetime.timedelta(days=v)
    when = when.replace(microsecond=0) + datetime.timedelta(
        seconds=round(when.microsecond / 1e6))
    if "h" in code:
        return "t:" + when.strftime("%Y-%m-%d %H:%M:%S")
    return "d:" + when.strftime("%Y-%m-%d")


def cell_text(c, strings, st):
    bold, code = st[int(c.get("s", "0"))]
    kind = c.get("t")
    v = c.find("m:v", NS)
    if kind == "s":
        text = "s:" + strings[int(v.text)]
    elif kind == "inlineStr":
        text = "i:" + "".join(t.text or "" for t in c.iter("{%s}t" % NS["m"]))
    elif v is None:
        text = "-"
    elif code and "%" in code:
        decimals = len(code.split(".")[1].rstrip("%")) if "." in code else 0
        text = "p:%.*f%%" % (decimals, float(v.text) * 100)
    elif code and "yy" in code:
        text = serial_to_text(float(v.text), code)
    else:
        text = "n:" + v.text
    return ("*" if bold else "") + text


def main(path):
    z = zipfile.ZipFile(path)
    sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    strings, st = shared_strings(z), styles(z)
    pane = sheet.find("m:sheetViews/m:sheetView/m:pane", NS)
    frozen = pane.get("topLeftCell") if pane is not None and \
        pane.get("state") == "frozen" else "none"
    print("frozen:", frozen)
    widths = [str(int(float(c.get("width"))))
              for c in sheet.findall("m:cols/m:col", NS)]
    print("widths:", " ".join(widths))
    for row in sheet.findall("m:sheetData/m:row", NS):
        cells = {}
        for c in row.findall("m:c", NS):
            cells[col_index(c.get("r"))] = cell_text(c, strings, st)
        n = max(cells) + 1 if cells else 0
        print("%s: %s" % (row.get("r"),
                          " | ".join(cells.get(i, "-") for i in range(n))))


if __name__ == "__main__":
    main(sys.argv[1])
