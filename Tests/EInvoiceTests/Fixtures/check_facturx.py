#!/usr/bin/env python3
"""Inspects Factur-X PDFs with outside tools (the tests' checker; written for this project).

Usage: check_facturx.py FILE.pdf...
For each file prints one JSON object a line: what the `factur-x` library extracts (file name, XSD verdict
for the EN 16931 level), and what pikepdf sees: PDF/A identification and Factur-X properties in the XMP,
the output intent and its ICC profile, the associated file and its relationship, fonts without an
embedded program, the trailer /ID, encryption.
"""
import io, json, re, sys
import facturx
import pikepdf

def text(value):
    return str(value) if value is not None else None

for path in sys.argv[1:]:
    out = {"file": path}
    try:
        name, xml = facturx.get_xml_from_pdf(open(path, "rb"), check_xsd=False)
        out["xml_name"] = name
        out["xml"] = xml.decode("utf-8") if xml else ""
        try:
            facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
            out["xsd"] = "ok"
        except Exception as err:
            out["xsd"] = " ".join(str(err).split())[:400]
    except Exception as err:
        out["xml_name"] = None
        out["xsd"] = "extraction failed: " + " ".join(str(err).split())[:300]
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        out["encrypted"] = pdf.is_encrypted
        out["id"] = "/ID" in pdf.trailer and len(pdf.trailer.ID) == 2
        meta = pdf.open_metadata()
        out["pdfaid"] = (text(meta.get("pdfaid:part")) or "") + (text(meta.get("pdfaid:conformance")) or "")
        ns = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"
        out["fx"] = {key: text(meta.get("{%s}%s" % (ns, key))) for key in ("DocumentType", "DocumentFileName", "Version", "ConformanceLevel")}
        raw = bytes(root.Metadata.read_bytes()).decode("utf-8")
        out["extension_schema"] = "pdfaExtension:schemas" in raw and ns in raw
        intents = root.get("/OutputIntents")
        if intents is not None and len(intents) > 0:
            intent = intents[0]
            profile = intent.DestOutputProfile
            out["output_intent"] = {"S": str(intent.S), "N": int(profile.N),
                                    "condition": str(intent.OutputConditionIdentifier)}
            try:
                from PIL import ImageCms
                icc = ImageCms.ImageCmsProfile(io.BytesIO(bytes(profile.read_bytes())))
                out["output_intent"]["icc"] = ImageCms.getProfileDescription(icc).strip()
                out["output_intent"]["icc_space"] = icc.profile.xcolor_space.strip()
            except Exception as err:
                out["output_intent"]["icc"] = "unreadable: %s" % err
        af = root.get("/AF")
        out["af"] = [{"F": str(spec.F), "UF": str(spec.UF), "relationship": str(spec.AFRelationship),
                      "subtype": str(spec.EF.F.get("/Subtype"))} for spec in af] if af is not None else []
        names = root.get("/Names")
        out["embedded_files"] = [str(n) for n in names.EmbeddedFiles.Names[0::2]] if names is not None and "/EmbeddedFiles" in names else []
        unembedded, embedded = set(), set()
        for page in pdf.pages:
            fonts = page.Resources.get("/Font") or {}
            for key in fonts.keys():
                font = fonts[key]
                target = font.DescendantFonts[0] if font.Subtype == "/Type0" else font
                descriptor = target.get("/FontDescriptor")
                program = None
                if descriptor is not None:
                    for k in ("/FontFile2", "/FontFile", "/FontFile3"):
                        if k in descriptor:
                            program = k
                name = str(target.get("/BaseFont"))
                (embedded if program else unembedded).add(f"{name} {program or ''}".strip())
        out["embedded_fonts"] = sorted(embedded)
        out["unembedded_fonts"] = sorted(unembedded)
    print(json.dumps(out), flush=True)
