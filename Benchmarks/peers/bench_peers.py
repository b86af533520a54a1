"""One document peer per process, for invoice-bench: `python3 bench_peers.py KIND COUNT SAMPLES`
prints the rate per second (after one warm-up call), `missing` when the module is not installed,
or, for KIND `data`, the first SAMPLES invoices of invoice_data.py as JSON.
The same peers as peers.py (measured all at once there), one at a time and with the bench's counts."""
import sys, os, io, time, json
here = os.path.dirname(os.path.abspath(__file__))
kind, n, m = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
sys.path.insert(0, here)
from invoice_data import make_invoice
invs = [make_invoice(i) for i in range(m)]
if kind == "data":
    json.dump(invs, sys.stdout, ensure_ascii=False); sys.exit(0)
def rate(fn, n):
    fn(0)
    t = time.perf_counter()
    for i in range(n):
        fn(i)
    return n / (time.perf_counter() - t)
try:
    if kind in ("jinja2", "weasyprint"):
        import jinja2
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(here), autoescape=True)
        tj = env.get_template("invoice.jinja.html")
    if kind == "jinja2":
        print(rate(lambda i: tj.render(inv=invs[i % m]), n))
    elif kind == "chevron":
        import chevron
        tm = open(os.path.join(here, "invoice.mustache.html")).read()
        print(rate(lambda i: chevron.render(tm, invs[i % m]), n))
    elif kind == "pystache":
        import pystache
        tm = open(os.path.join(here, "invoice.mustache.html")).read()
        pr = pystache.Renderer(); pt = pystache.parse(tm)
        print(rate(lambda i: pr.render(pt, invs[i % m]), n))
    elif kind == "weasyprint":
        import weasyprint
        print(rate(lambda i: weasyprint.HTML(string=tj.render(inv=invs[i % m])).write_pdf(), n))
    elif kind in ("reportlab", "reportlab-ttf"):
        from reportlab.lib.pagesizes import A4
        from reportlab.pdfgen import canvas
        from reportlab.lib.units import mm
        regular, bold = "Helvetica", "Helvetica-Bold"
        if kind == "reportlab-ttf":
            # The font our PDFs embed, subset per document by ReportLab too.
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont
            fonts = os.path.join(here, "..", "..", "Templates", "fonts")
            pdfmetrics.registerFont(TTFont("LiberationSans", os.path.join(fonts, "LiberationSans-Regular.ttf")))
            pdfmetrics.registerFont(TTFont("LiberationSans-Bold", os.path.join(fonts, "LiberationSans-Bold.ttf")))
            regular, bold = "LiberationSans", "LiberationSans-Bold"
        def rl(i):
            inv = invs[i % m]; buf = io.BytesIO()
            c = canvas.Canvas(buf, pagesize=A4, pageCompression=0)
            c.setFont(bold, 10); c.drawString(20*mm, 280*mm, inv["seller"]["company"])
            c.setFont(regular, 10)
            y = 250*mm
            for s in [inv["customer"][k] for k in ("company","contact","street","city","country")]:
                c.drawString(120*mm, y, s); y -= 5*mm
            c.setFont(bold, 14); c.drawString(20*mm, 200*mm, "Rechnung " + inv["number"])
            c.setFont(regular, 9); y = 185*mm
            for l in inv["lines"]:
                c.drawString(20*mm, y, str(l["pos"])); c.drawString(30*mm, y, l["title"])
                c.drawRightString(130*mm, y, f'{l["qty"]} {l["unit"]}'); c.drawRightString(155*mm, y, l["price"])
                c.drawRightString(170*mm, y, l["vat"]); c.drawRightString(190*mm, y, l["total"])
                c.drawString(30*mm, y - 4*mm, l["description"]); c.line(20*mm, y - 6*mm, 190*mm, y - 6*mm); y -= 10*mm
            c.drawString(120*mm, y, "Total netto"); c.drawRightString(190*mm, y, inv["net"])
            c.drawString(120*mm, y-5*mm, "Total CHF"); c.drawRightString(190*mm, y-5*mm, inv["gross"])
            c.setFont(regular, 8); c.drawString(20*mm, 10*mm, inv["seller"]["company"] + " · IBAN " + inv["seller"]["iban"])
            c.showPage(); c.save(); return buf.getvalue()
        print(rate(rl, n))
    else:
        sys.exit(2)
except ImportError:
    print("missing")
