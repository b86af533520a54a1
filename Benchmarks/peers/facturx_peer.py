#!/usr/bin/env python3
"""The Factur-X peer: the `factur-x` library (PyPI factur-x) making a Factur-X PDF from a plain PDF and
a CII XML, COUNT times. Usage: facturx_peer.py PLAIN.pdf FACTUR-X.xml COUNT  → prints Factur-X PDFs per second."""
import sys, time
import facturx

pdf = open(sys.argv[1], "rb").read()
xml = open(sys.argv[2], "rb").read()
count = int(sys.argv[3])
facturx.generate_from_binary(pdf, xml, flavor="factur-x", level="en16931", check_xsd=False)  # warm-up
start = time.perf_counter()
for _ in range(count):
    facturx.generate_from_binary(pdf, xml, flavor="factur-x", level="en16931", check_xsd=False)
print(count / (time.perf_counter() - start))
