"""The parse floor of `invoice payments import` in the bench: lxml's iterparse reading a camt file
and doing nothing with it (each element cleared once it ends, as a streaming reader does).

    python3 camt_iterparse.py FILE"""
import sys

from lxml import etree

count = 0
for _, element in etree.iterparse(sys.argv[1], events=("end",), resolve_entities=False, no_network=True):
    count += 1
    element.clear()
    while element.getprevious() is not None:
        del element.getparent()[0]
print(count)
